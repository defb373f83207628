/**
 * The remote-write wire format: a prometheus.WriteRequest (remote.proto and
 * types.proto of Prometheus, the fields novaload sends) encoded by
 * protobufjs from a reflected schema, then snappy block-compressed by
 * snappyjs, as the protocol requires. Decoding is here too, for receivers in
 * tests, so both sides use the same libraries.
 */
import protobuf from 'protobufjs';
import { compress, uncompress } from 'snappyjs';
import type { NativeHistogram } from './prometheus-rw-native.js';

/** One series: its labels (`__name__` among them) and its samples, or native histograms (timestamps in ms since the epoch). */
export interface TimeSeries {
  labels: { name: string; value: string }[];
  samples: { value: number; timestamp: number }[];
  histograms?: NativeHistogram[];
}

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: {
          fields: { labels: { rule: 'repeated', type: 'Label', id: 1 }, samples: { rule: 'repeated', type: 'Sample', id: 2 }, histograms: { rule: 'repeated', type: 'Histogram', id: 4 } },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        // The integer-count form of types.proto's Histogram (count_int and zero_count_int of their oneofs), positive buckets only.
        Histogram: {
          fields: {
            countInt: { type: 'uint64', id: 1 },
            sum: { type: 'double', id: 3 },
            schema: { type: 'sint32', id: 4 },
            zeroThreshold: { type: 'double', id: 5 },
            zeroCountInt: { type: 'uint64', id: 6 },
            positiveSpans: { rule: 'repeated', type: 'BucketSpan', id: 11 },
            positiveDeltas: { rule: 'repeated', type: 'sint64', id: 12, options: { packed: true } },
            timestamp: { type: 'int64', id: 15 },
          },
        },
        BucketSpan: { fields: { offset: { type: 'sint32', id: 1 }, length: { type: 'uint32', id: 2 } } },
      },
    },
  },
});
const WriteRequest = root.lookupType('prometheus.WriteRequest');

/** The body of a push: the snappy-compressed WriteRequest of `series`. */
export function encodeWriteRequest(series: readonly TimeSeries[]): Uint8Array {
  return compress(WriteRequest.encode(WriteRequest.fromObject({ timeseries: series })).finish());
}

/** A push body back into series (timestamps as numbers). */
export function decodeWriteRequest(body: Uint8Array): TimeSeries[] {
  const message = WriteRequest.decode(uncompress(body));
  const plain = WriteRequest.toObject(message, { longs: Number, defaults: true }) as { timeseries?: TimeSeries[] };
  return plain.timeseries ?? [];
}
