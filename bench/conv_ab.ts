// A/B of two builds of the addon on the conv bench shapes and the convnet's pooling: each op is
// timed alternately on addon A and addon B (interleaved rounds, median), so machine load hits
// both alike.   node --import tsx bench/conv_ab.ts <a.node> <b.node> [rounds]
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const [pathA, pathB] = [process.argv[2]!, process.argv[3]!];
const rounds = Number(process.argv[4] ?? 15) || 15;
type Addon = Record<string, (...a: unknown[]) => void>;
const addons: Addon[] = [require(pathA), require(pathB)];
// --cpu: one thread each, timed in process CPU time (robust when other jobs load the machine).
const cpu = process.argv.includes('--cpu');
if (cpu) for (const a of addons) a['setNumThreads']!(1);
const now = (): number => (cpu ? (() => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; })() : performance.now());
const rand = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function convInfo(n: number, hw: number, cin: number, cout: number, same = false) {
  const o = same ? hw : hw - 2;
  const pad = same ? 1 : 0;
  return { batch: n, inHeight: hw, inWidth: hw, inChannels: cin, outHeight: o, outWidth: o, outChannels: cout, filterHeight: 3, filterWidth: 3, strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: pad, padLeft: pad, channelMultiplier: 1 };
}
function poolInfo(n: number, hw: number, c: number) {
  const o = Math.floor(hw / 2);
  return { batch: n, inHeight: hw, inWidth: hw, inChannels: c, outHeight: o, outWidth: o, outChannels: c, filterHeight: 2, filterWidth: 2, strideHeight: 2, strideWidth: 2, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 0, channelMultiplier: 1 };
}
const cases: [string, (a: Addon) => void][] = [];
// The convnet bench's 'valid' layers, then 'same' VGG19 layers of one 256x256 image (style transfer).
const convShapes = [[128, 28, 1, 32, false], [128, 13, 32, 64, false], [64, 32, 64, 64, false], [1, 256, 64, 64, true], [1, 64, 256, 256, true], [1, 32, 512, 512, true]] as const;
for (const [n, hw, cin, cout, same] of convShapes) {
  const info = convInfo(n, hw, cin, cout, same);
  const x = rand(n * hw * hw * cin), f = rand(9 * cin * cout), y = new Float32Array(n * info.outHeight ** 2 * cout), dy = rand(y.length);
  const dx = new Float32Array(x.length), df = new Float32Array(f.length);
  const tag = `${n}x${hw}x${hw} ${cin}->${cout}${same ? ' same' : ''}`;
  cases.push([`conv2d ${tag}`, (a) => a['conv2d']!(x, f, y, info)]);
  cases.push([`bpInput ${tag}`, (a) => a['conv2dBackpropInput']!(dy, f, dx, info)]);
  cases.push([`bpFilter ${tag}`, (a) => a['conv2dBackpropFilter']!(x, dy, df, info)]);
}
for (const [n, hw, c] of [[128, 26, 32], [128, 11, 64]] as const) {
  const info = poolInfo(n, hw, c);
  const x = rand(n * hw * hw * c), y = new Float32Array(n * Math.floor(hw / 2) ** 2 * c), dy = rand(y.length), dx = new Float32Array(x.length);
  cases.push([`maxPool ${n}x${hw}x${hw}x${c}`, (a) => a['maxPool']!(x, y, info)]);
  cases.push([`maxPoolGrad ${n}x${hw}x${hw}x${c}`, (a) => a['maxPoolGrad']!(dy, x, dx, info)]);
}
console.log(`op                              A ms     B ms   A/B`);
for (const [name, fn] of cases) {
  const t: number[][] = [[], []];
  for (const a of addons) fn(a);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < 2; i++) {
      const t0 = now();
      fn(addons[i]!);
      t[i]!.push(now() - t0);
    }
  }
  const [ma, mb] = [median(t[0]!), median(t[1]!)];
  console.log(`${name.padEnd(30)} ${ma.toFixed(2).padStart(7)}  ${mb.toFixed(2).padStart(7)}  ${(ma / mb).toFixed(2)}`);
}
