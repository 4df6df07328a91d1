// TensorBoard Event / Summary protobufs (tensorflow/core/util/event.proto,
// tensorflow/core/framework/summary.proto), encoded with the field numbers given below.
import { ProtoWriter } from './protobuf.js';
import type { HistogramData } from './histogram.js';

/** Event: wall_time = 1 (double), step = 2 (int64), file_version = 3 (string), summary = 5. */
export const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
/** Summary: value = 1 (repeated Value). */
export const SUMMARY = { value: 1 } as const;
/** Summary.Value: tag = 1, simple_value = 2 (float), image = 4, histo = 5, tensor = 8, metadata = 9. */
export const VALUE = { tag: 1, simpleValue: 2, image: 4, histo: 5, tensor: 8, metadata: 9 } as const;
/** Summary.Image: height = 1, width = 2, colorspace = 3, encoded_image_string = 4. */
export const IMAGE = { height: 1, width: 2, colorspace: 3, encoded: 4 } as const;
/** HistogramProto: min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6, bucket 7 (doubles). */
export const HISTO = { min: 1, max: 2, num: 3, sum: 4, sumSquares: 5, bucketLimit: 6, bucket: 7 } as const;

/** One Summary.Value payload. */
export type SummaryValue =
  | { tag: string; kind: 'scalar'; value: number }
  | { tag: string; kind: 'image'; height: number; width: number; channels: number; png: Uint8Array }
  | { tag: string; kind: 'histogram'; histogram: HistogramData }
  | { tag: string; kind: 'text'; text: string };

const DT_STRING = 7;

function writeValue(w: ProtoWriter, v: SummaryValue): void {
  w.string(VALUE.tag, v.tag);
  switch (v.kind) {
    case 'scalar':
      w.float(VALUE.simpleValue, v.value);
      break;
    case 'image':
      w.message(VALUE.image, (img) => img.int(IMAGE.height, v.height).int(IMAGE.width, v.width).int(IMAGE.colorspace, v.channels).bytes(IMAGE.encoded, v.png));
      break;
    case 'histogram': {
      const h = v.histogram;
      w.message(VALUE.histo, (m) =>
        m.double(HISTO.min, h.min).double(HISTO.max, h.max).double(HISTO.num, h.num).double(HISTO.sum, h.sum).double(HISTO.sumSquares, h.sumSquares).packedDoubles(HISTO.bucketLimit, h.bucketLimit).packedDoubles(HISTO.bucket, h.bucket),
      );
      break;
    }
    case 'text':
      // SummaryMetadata.plugin_data (1) { plugin_name (1) = "text" }; TensorProto: dtype (1) =
      // DT_STRING, tensor_shape (2) = {} (a scalar), string_val (8).
      w.message(VALUE.metadata, (m) => m.message(1, (p) => p.string(1, 'text')));
      w.message(VALUE.tensor, (t) => t.int(1, DT_STRING).message(2, () => {}).string(8, v.text));
      break;
  }
}

/** The serialized Event holding `values` at `step`. */
export function summaryEvent(wallTime: number, step: number, values: readonly SummaryValue[]): Uint8Array {
  return new ProtoWriter()
    .double(EVENT.wallTime, wallTime)
    .int(EVENT.step, step)
    .message(EVENT.summary, (s) => {
      for (const v of values) s.message(SUMMARY.value, (w) => writeValue(w, v));
    })
    .finish();
}

/** The first Event of every file: `file_version = "brain.Event:2"`. */
export function fileVersionEvent(wallTime: number): Uint8Array {
  return new ProtoWriter().double(EVENT.wallTime, wallTime).string(EVENT.fileVersion, 'brain.Event:2').finish();
}
