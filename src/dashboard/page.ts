// The dashboard page: plain DOM code plus vega + vega-lite (served from node_modules) for charts.
// The client script is kept free of backticks and "${" so it can live in this template literal.

const CSS = String.raw`
body { font: 14px system-ui, sans-serif; margin: 0; display: flex; color: #222; }
nav { width: 260px; padding: 12px; border-right: 1px solid #ddd; height: 100vh; overflow: auto; box-sizing: border-box; position: sticky; top: 0; }
main { flex: 1; padding: 12px 20px; min-width: 0; }
h1 { font-size: 18px; margin: 0 0 8px; } h2 { font-size: 16px; border-bottom: 1px solid #eee; }
h3 { font-size: 13px; margin: 8px 0 4px; font-weight: 600; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; }
.panel { border: 1px solid #e5e5e5; border-radius: 6px; padding: 8px; }
.panel img { image-rendering: pixelated; min-width: 128px; max-width: 320px; display: block; }
table { border-collapse: collapse; font-size: 12px; } td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
label { display: block; margin: 2px 0; } .muted { color: #888; font-size: 12px; } pre { white-space: pre-wrap; margin: 0; }
`;

const SCRIPT = String.raw`
(function () {
  'use strict';
  var state = { runs: [], data: {}, selected: {}, smoothing: 0.6, sliders: {} };
  var $ = function (id) { return document.getElementById(id); };
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  function getJson(url) { return fetch(url, { cache: 'no-store' }).then(function (r) { return r.json(); }); }
  function q(run) { return encodeURIComponent(run); }

  // TensorBoard's debiased exponential moving average.
  function smooth(points, w) {
    var last = 0, n = 0;
    return points.map(function (p) {
      if (p.value === null || !isFinite(p.value)) return null;
      last = last * w + (1 - w) * p.value; n++;
      return w > 0 ? last / (1 - Math.pow(w, n)) : p.value;
    });
  }

  function chart(container, spec) {
    var compiled = vegaLite.compile(spec).spec;
    var view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: container, hover: true });
    return view.runAsync();
  }

  function selectedRuns() { return state.runs.filter(function (r) { return state.selected[r.name]; }); }

  function renderRuns() {
    var box = $('runs'); box.innerHTML = '';
    state.runs.forEach(function (r) {
      if (!(r.name in state.selected)) state.selected[r.name] = true;
      var cb = el('input', { type: 'checkbox' }); cb.checked = state.selected[r.name];
      cb.addEventListener('change', function () { state.selected[r.name] = cb.checked; render(); });
      var l = el('label', {}, [cb, document.createTextNode(' ' + r.name)]);
      box.appendChild(l);
    });
    if (!state.runs.length) box.appendChild(el('p', { class: 'muted', text: 'No runs yet: waiting for summaries.jsonl files under the log directory.' }));
  }

  function renderScalars() {
    var box = $('scalars'); box.innerHTML = '';
    var tags = {};
    selectedRuns().forEach(function (r) { Object.keys(state.data[r.name].scalars || {}).forEach(function (t) { tags[t] = 1; }); });
    Object.keys(tags).sort().forEach(function (tag) {
      var values = [];
      selectedRuns().forEach(function (r) {
        var pts = (state.data[r.name].scalars || {})[tag] || [];
        var sm = smooth(pts, state.smoothing);
        pts.forEach(function (p, i) { if (p.value !== null) values.push({ run: r.name, step: p.step, value: p.value, smoothed: sm[i] }); });
      });
      var div = el('div', { class: 'panel', 'data-tag': tag });
      div.appendChild(el('h3', { text: tag }));
      var c = el('div', { class: 'chart' }); div.appendChild(c); box.appendChild(div);
      var enc = { x: { field: 'step', type: 'quantitative' }, color: { field: 'run', type: 'nominal' } };
      chart(c, {
        width: 360, height: 200, data: { values: values },
        layer: [
          { mark: { type: 'line', opacity: 0.25 }, encoding: Object.assign({ y: { field: 'value', type: 'quantitative', title: tag, scale: { zero: false } } }, enc) },
          { mark: { type: 'line', point: values.length < 40 }, encoding: Object.assign({ y: { field: 'smoothed', type: 'quantitative', scale: { zero: false } }, tooltip: [{ field: 'run' }, { field: 'step' }, { field: 'value' }, { field: 'smoothed', format: '.4g' }] }, enc) }
        ]
      });
    });
    if (!Object.keys(tags).length) box.appendChild(el('p', { class: 'muted', text: 'No scalars yet.' }));
  }

  // A panel per run and tag with a step slider; draw(item, body) fills it for the chosen step.
  function stepPanels(boxId, kind, draw) {
    var box = $(boxId); box.innerHTML = '';
    var any = false;
    selectedRuns().forEach(function (r) {
      var byTag = state.data[r.name][kind] || {};
      Object.keys(byTag).sort().forEach(function (tag) {
        any = true;
        var items = byTag[tag], key = kind + '|' + r.name + '|' + tag;
        var prev = state.sliders[key];
        var idx = prev === undefined || prev.atEnd ? items.length - 1 : Math.min(prev.index, items.length - 1);
        var panel = el('div', { class: 'panel', 'data-key': key });
        var caption = el('div', { class: 'muted' });
        var body = el('div');
        var slider = el('input', { type: 'range', min: '0', max: String(items.length - 1), value: String(idx), class: 'step-slider' });
        function show() {
          var i = Number(slider.value);
          state.sliders[key] = { index: i, atEnd: i === items.length - 1 };
          caption.textContent = 'step ' + items[i].step + ' (' + (i + 1) + ' of ' + items.length + ')';
          body.innerHTML = ''; draw(r.name, items[i], body);
        }
        slider.addEventListener('input', show);
        panel.appendChild(el('h3', { text: r.name + ' / ' + tag }));
        panel.appendChild(slider); panel.appendChild(caption); panel.appendChild(body);
        box.appendChild(panel); show();
      });
    });
    if (!any) box.appendChild(el('p', { class: 'muted', text: 'None yet.' }));
  }

  function renderImages() {
    stepPanels('images', 'images', function (run, item, body) {
      body.appendChild(el('img', { src: '/api/file?run=' + q(run) + '&path=' + encodeURIComponent(item.file), alt: item.file, width: String(Math.max(128, item.width)) }));
    });
  }

  function renderHistograms() {
    stepPanels('histograms', 'histograms', function (run, item, body) {
      var values = item.bucket.map(function (count, i) {
        return { left: i === 0 ? item.min : item.bucketLimit[i - 1], right: item.bucketLimit[i], count: count };
      });
      chart(body, { width: 320, height: 140, data: { values: values }, mark: 'rect',
        encoding: { x: { field: 'left', type: 'quantitative', title: 'value' }, x2: { field: 'right' }, y: { field: 'count', type: 'quantitative' }, tooltip: [{ field: 'left' }, { field: 'right' }, { field: 'count' }] } });
    });
  }

  function renderText() {
    stepPanels('text', 'text', function (run, item, body) { body.appendChild(el('pre', { text: item.text })); });
  }

  function renderMeta() {
    var box = $('meta'); box.innerHTML = '';
    selectedRuns().forEach(function (r) {
      var m = state.data[r.name].metadata || {};
      var keys = ['command', 'hyperParameters', 'backend', 'dataset'].filter(function (k) { return k in m; })
        .concat(Object.keys(m).filter(function (k) { return ['command', 'hyperParameters', 'backend', 'dataset', 'format', 'formatVersion'].indexOf(k) < 0; }));
      var rows = keys.map(function (k) {
        var v = m[k]; var text = typeof v === 'string' ? v : JSON.stringify(v);
        return el('tr', {}, [el('th', { text: k }), el('td', { text: text })]);
      });
      var panel = el('div', { class: 'panel' }, [el('h3', { text: r.name }), el('table', {}, rows)]);
      box.appendChild(panel);
    });
  }

  function render() {
    renderRuns(); renderScalars(); renderImages(); renderHistograms(); renderText(); renderMeta();
    $('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  }

  function refresh() {
    return getJson('/api/runs').then(function (runs) {
      state.runs = runs;
      return Promise.all(runs.map(function (r) { return getJson('/api/run?run=' + q(r.name)).then(function (d) { state.data[r.name] = d; }); }));
    }).then(render).catch(function (e) { $('updated').textContent = 'error: ' + e; });
  }

  $('smoothing').addEventListener('input', function (e) {
    state.smoothing = Number(e.target.value); $('smoothing-value').textContent = state.smoothing.toFixed(2); renderScalars();
  });
  var pending = false;
  var source = new EventSource('/api/events');
  source.onmessage = function () {
    if (pending) return; pending = true;
    setTimeout(function () { pending = false; refresh(); }, 300);
  };
  window.nablaDashboard = { state: state, refresh: refresh };
  refresh();
})();
`;

/** The dashboard's HTML page (scripts: /static/vega.min.js, /static/vega-lite.min.js). */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>nabla dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${CSS}</style>
<script src="/static/vega.min.js"></script>
<script src="/static/vega-lite.min.js"></script>
</head><body>
<nav><h1>nabla dashboard</h1>
<div class="muted" id="updated"></div>
<h3>Runs</h3><div id="runs"></div>
<h3>Smoothing <span id="smoothing-value">0.60</span></h3>
<input id="smoothing" type="range" min="0" max="0.99" step="0.01" value="0.6">
</nav>
<main>
<h2>Scalars</h2><div class="grid" id="scalars"></div>
<h2>Images</h2><div class="grid" id="images"></div>
<h2>Histograms</h2><div class="grid" id="histograms"></div>
<h2>Text</h2><div class="grid" id="text"></div>
<h2>Runs</h2><div class="grid" id="meta"></div>
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}
