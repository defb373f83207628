/**
 * The remote-write wire format: a prometheus.WriteRequest (remote.proto and
 * types.proto of Prometheus, the fields novaload sends) encoded by
 * protobufjs from a reflected schema, then snappy block-compressed by
 * snappyjs, as the protocol requires. Decoding is here too, for receivers in
 * tests, so both sides use the same libraries.
 */
import protobuf from 'protobufjs';
import { compress, uncompress } from 'snappyjs';

/** One series: its labels (`__name__` among them) and its samples (ms since the epoch). */
export interface TimeSeries {
  labels: { name: string; value: string }[];
  samples: { value: number; timestamp: number }[];
}

const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: { fields: { labels: { rule: 'repeated', type: 'Label', id: 1 }, samples: { rule: 'repeated', type: 'Sample', id: 2 } } },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
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
