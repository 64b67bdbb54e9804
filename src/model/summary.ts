// Model.summary(): the layers as Keras prints them — one row per layer with its
// output shape and parameter count, nested containers indented — and the totals.

import type { Module } from '../nn/module.js';

interface SummarySource {
  readonly network: Module;
  readonly inputSize: number;
  readonly loss: { toConfig(): Record<string, unknown> };
  readonly optimizer: { toConfig(): Record<string, unknown> };
  readonly metrics: readonly { name: string }[];
}

interface Row {
  layer: string;
  shape: string;
  params: string;
}

export function summarize(model: SummarySource): string {
  const rows: Row[] = [];
  const visit = (m: Module, name: string, inputFeatures: number, depth: number): number => {
    const outputFeatures = m.outputFeatures(inputFeatures);
    const own = m.namedParameters().reduce((sum, [, p]) => sum + p.value.data.length, 0);
    const label = `${'  '.repeat(depth)}${name === '' ? '' : `${name} `}(${m.describe()})`;
    rows.push({ layer: label, shape: `N × ${outputFeatures}`, params: own.toLocaleString('en-US') });
    let features = inputFeatures;
    for (const [childName, child] of m.children()) features = visit(child, childName, features, depth + 1);
    return outputFeatures;
  };
  // A container at the top is the model itself: list what it holds, as Keras does.
  const top = model.network.children();
  if (top.length === 0) visit(model.network, '', model.inputSize, 0);
  else top.reduce((features, [name, child]) => visit(child, name, features, 0), model.inputSize);
  const total = model.network.parameters().reduce((sum, p) => sum + p.value.data.length, 0);
  const header: Row = { layer: 'Layer (type)', shape: 'Output shape', params: 'Params' };
  const widths = {
    layer: Math.max(...[header, ...rows].map((r) => r.layer.length)),
    shape: Math.max(...[header, ...rows].map((r) => r.shape.length)),
    params: Math.max(...[header, ...rows].map((r) => r.params.length)),
  };
  const line = (r: Row) =>
    `${r.layer.padEnd(widths.layer)}  ${r.shape.padEnd(widths.shape)}  ${r.params.padStart(widths.params)}`;
  const rule = '─'.repeat(widths.layer + widths.shape + widths.params + 4);
  const describe = (config: Record<string, unknown>) => {
    const { type, ...options } = config;
    const shown = Object.entries(options).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
    return shown.length > 0 ? `${type} (${shown.join(', ')})` : String(type);
  };
  return [
    `Input: N × ${model.inputSize}`,
    rule,
    line(header),
    rule,
    ...rows.map(line),
    rule,
    `Total parameters: ${total.toLocaleString('en-US')}`,
    `Loss: ${describe(model.loss.toConfig())}`,
    `Optimizer: ${describe(model.optimizer.toConfig())}`,
    `Metrics: ${model.metrics.length > 0 ? model.metrics.map((m) => m.name).join(', ') : 'none'}`,
    '',
  ].join('\n');
}
