/**
 * A minimal ONNX protobuf writer: just enough of `ModelProto` to describe a one-node graph (a `Gemm` or
 * `MatMul`) with symbolic input dimensions, so no model files ship with the package.
 *
 * Wire format: each field is a varint key (field number << 3 | wire type) followed by a varint (type 0) or
 * a length-delimited payload (type 2). Field numbers are those of onnx.proto (IR version 8).
 */
class Writer {
  private readonly bytes: number[] = [];

  varint(value: number): this {
    let v = value;
    while (v >= 0x80) {
      this.bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
    return this;
  }

  intField(field: number, value: number): this {
    return this.varint(field << 3).varint(value);
  }

  bytesField(field: number, payload: Uint8Array | number[]): this {
    this.varint((field << 3) | 2).varint(payload.length);
    for (const b of payload) this.bytes.push(b);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, Array.from(new TextEncoder().encode(value)));
  }

  messageField(field: number, build: (w: Writer) => void): this {
    const inner = new Writer();
    build(inner);
    return this.bytesField(field, inner.bytes);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** ONNX TensorProto.DataType codes. */
export const ONNX_FLOAT = 1;
export const ONNX_DOUBLE = 11;

export interface OnnxNodeSpec {
  opType: string;
  inputs: { name: string; dims: Array<number | string> }[];
  output: { name: string; dims: Array<number | string> };
  /** Integer attributes (e.g. transA). */
  intAttributes?: Record<string, number>;
  elemType: number;
  opset?: number;
}

/** Serialises a ModelProto with a single node. */
export function oneNodeModel(spec: OnnxNodeSpec): Uint8Array {
  const valueInfo = (w: Writer, name: string, dims: Array<number | string>) => {
    w.stringField(1, name); // ValueInfoProto.name
    w.messageField(2, (type) =>
      // TypeProto.tensor_type
      type.messageField(1, (tensor) => {
        tensor.intField(1, spec.elemType); // elem_type
        tensor.messageField(2, (shape) => {
          for (const d of dims) {
            shape.messageField(1, (dim) =>
              typeof d === 'number' ? dim.intField(1, d) : dim.stringField(2, d),
            );
          }
        });
      }),
    );
  };
  const model = new Writer();
  model.intField(1, 8); // ir_version
  model.stringField(2, 'graphon-pai'); // producer_name
  model.messageField(7, (graph) => {
    graph.messageField(1, (node) => {
      for (const input of spec.inputs) node.stringField(1, input.name);
      node.stringField(2, spec.output.name);
      node.stringField(3, 'op');
      node.stringField(4, spec.opType);
      for (const [name, value] of Object.entries(spec.intAttributes ?? {})) {
        node.messageField(5, (attr) => {
          attr.stringField(1, name);
          attr.intField(3, value); // i
          attr.intField(20, 2); // type = INT
        });
      }
    });
    graph.stringField(2, 'g');
    for (const input of spec.inputs) graph.messageField(11, (w) => valueInfo(w, input.name, input.dims));
    graph.messageField(12, (w) => valueInfo(w, spec.output.name, spec.output.dims));
  });
  model.messageField(8, (opset) => {
    opset.stringField(1, '');
    opset.intField(2, spec.opset ?? 13);
  });
  return model.finish();
}
