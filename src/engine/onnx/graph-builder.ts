import type { AttributeValue, ModelSpec, NodeSpec, TensorSpec, ValueSpec } from './onnx-proto';

/** A value of the graph being built: its ONNX name and rank (4-D values are NCHW inside the graph). */
export interface GraphValue {
  name: string;
  rank: number;
}

/** Collects nodes and initializers with unique names, then keeps only what the outputs need. */
export class GraphBuilder {
  readonly #nodes: NodeSpec[] = [];
  readonly #initializers = new Map<string, TensorSpec>();
  readonly #used = new Set<string>();

  /** A name not used yet, `base` itself when free. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.#used.has(name); i++) name = `${base}_${i}`;
    this.#used.add(name);
    return name;
  }

  /** Reserves a name (a graph input). */
  reserve(name: string): string {
    if (this.#used.has(name)) throw new Error(`ONNX export: the name "${name}" is used twice`);
    this.#used.add(name);
    return name;
  }

  /** Adds a node with one output named `output` (made unique); returns the output's name. */
  node(op: string, inputs: readonly string[], output: string, attributes?: Record<string, AttributeValue>): string {
    const name = this.unique(output);
    this.#nodes.push({ op, name, inputs, outputs: [name], ...(attributes ? { attributes } : {}) });
    return name;
  }

  /** Adds a node whose output takes a name reserved earlier (a graph output). */
  nodeAs(op: string, inputs: readonly string[], reserved: string, attributes?: Record<string, AttributeValue>): string {
    if (!this.#used.has(reserved)) throw new Error(`ONNX export: "${reserved}" was not reserved`);
    this.#nodes.push({ op, name: reserved, inputs, outputs: [reserved], ...(attributes ? { attributes } : {}) });
    return reserved;
  }

  /** Adds a constant tensor; returns its name. */
  constant(base: string, dims: readonly number[], data: Float32Array | BigInt64Array): string {
    const name = this.unique(base);
    this.#initializers.set(name, { name, dims, data });
    return name;
  }

  /** The model with only the nodes and constants that `outputs` depend on, in the order they were added. */
  build(o: Omit<ModelSpec, 'nodes' | 'initializers' | 'outputs'> & { outputs: readonly ValueSpec[] }): ModelSpec {
    const producer = new Map(this.#nodes.map((n) => [n.outputs[0]!, n]));
    const needed = new Set<string>();
    const stack = o.outputs.map((v) => v.name);
    while (stack.length) {
      const name = stack.pop()!;
      if (needed.has(name)) continue;
      needed.add(name);
      stack.push(...(producer.get(name)?.inputs ?? []));
    }
    const missing = o.outputs.filter((v) => !producer.has(v.name) && !o.inputs.some((i) => i.name === v.name));
    if (missing.length) throw new Error(`ONNX export: no node computes ${missing.map((m) => m.name).join(', ')}`);
    return {
      ...o,
      nodes: this.#nodes.filter((n) => needed.has(n.outputs[0]!)),
      initializers: [...this.#initializers.values()].filter((t) => needed.has(t.name)),
    };
  }
}
