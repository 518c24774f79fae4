import { describe, expect, it } from 'vitest';
import { validateGraph } from './validateGraph.ts';
import { routingGraph } from './testing/graphs.ts';

function problemsOf(doc: unknown) {
  const result = validateGraph(doc);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.problems;
}

describe('validateGraph', () => {
  it('accepts a valid graph and fills in node defaults', () => {
    const result = validateGraph(routingGraph());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const features = result.graph.nodes.find((n) => n.id === 'features');
    expect(features).toMatchObject({ timeoutMs: 5000, network: false, requirements: [] });
    expect(result.graph.description).toBe('');
  });

  it('refuses an output that no path from the input reaches, naming the output node', () => {
    const doc = routingGraph();
    doc.edges = doc.edges.filter((e) => e.target !== 'output');
    const index = doc.nodes.findIndex((n) => n.id === 'output');
    expect(problemsOf(doc)).toEqual([
      {
        path: `nodes[${index}]`,
        nodeId: 'output',
        message: 'no path from "input" reaches the output node "output": connect it, or every call would answer null',
      },
    ]);
  });

  it('refuses what is not an object', () => {
    expect(problemsOf([])).toEqual([{ path: '', message: expect.stringContaining('JSON object') }]);
  });

  it('names a wrong format and a bad graph name', () => {
    const doc = { ...routingGraph(), format: 'plinth.graph/v2', name: 'Fraud Check' };
    const problems = problemsOf(doc);
    expect(problems.map((p) => p.path)).toEqual(['format', 'name']);
    expect(problems[1]!.message).toContain('"Fraud Check"');
  });

  it('names an unknown node type with the node id', () => {
    const doc = routingGraph();
    doc.nodes.push({ id: 'sql', type: 'sql' as never, position: { x: 0, y: 0 } });
    expect(problemsOf(doc)).toEqual([
      { path: 'nodes[6].type', nodeId: 'sql', message: expect.stringContaining('unknown node type "sql"') },
    ]);
  });

  it('finds duplicate ids and bad node ids', () => {
    const doc = routingGraph();
    doc.nodes.push({ id: 'features', type: 'python', code: 'x', position: { x: 0, y: 0 } });
    doc.nodes.push({ id: '9lives', type: 'python', code: 'x', position: { x: 0, y: 0 } });
    const problems = problemsOf(doc);
    expect(problems).toContainEqual({
      path: 'nodes[6].id',
      nodeId: 'features',
      message: 'duplicate node id "features"',
    });
    expect(problems).toContainEqual(expect.objectContaining({ path: 'nodes[7].id', nodeId: '9lives' }));
  });

  it('requires exactly one input and one output node', () => {
    const doc = routingGraph();
    doc.nodes = doc.nodes.filter((n) => n.type !== 'output');
    doc.nodes.push({ id: 'input2', type: 'input', position: { x: 0, y: 0 } });
    doc.edges = doc.edges.filter((e) => e.target !== 'output');
    const messages = problemsOf(doc).map((p) => p.message);
    expect(messages).toContain('a graph needs exactly one input node, found 2');
    expect(messages).toContain('a graph needs exactly one output node, found 0');
  });

  it('finds dangling edges at both ends', () => {
    const doc = routingGraph();
    doc.edges.push({ source: 'ghost', target: 'output' }, { source: 'features', target: 'nowhere' });
    const problems = problemsOf(doc);
    expect(problems).toContainEqual({
      path: 'edges[6].source',
      message: 'edge source "ghost" is not a node of this graph',
    });
    expect(problems).toContainEqual({
      path: 'edges[7].target',
      nodeId: 'features',
      message: 'edge target "nowhere" is not a node of this graph',
    });
  });

  it('requires branch edges to name one of the branch node’s branches', () => {
    const doc = routingGraph();
    doc.edges[2] = { source: 'decide', branch: 'reject', target: 'approve' };
    doc.edges[3] = { source: 'decide', target: 'review' };
    doc.edges.push({ source: 'features', branch: 'approve', target: 'review' });
    const problems = problemsOf(doc);
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'edges[2].branch',
        nodeId: 'decide',
        message: expect.stringContaining('has no branch "reject"'),
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'edges[3].branch',
        message: expect.stringContaining('must name one of its branches'),
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'edges[6].branch',
        message: expect.stringContaining('only edges leaving a branch node'),
      }),
    );
  });

  it('reports the nodes on a cycle, not those merely downstream of it', () => {
    const doc = routingGraph();
    doc.nodes.push(
      { id: 'a', type: 'python', code: 'a', position: { x: 0, y: 0 } },
      { id: 'b', type: 'python', code: 'b', position: { x: 0, y: 0 } },
    );
    doc.edges.push({ source: 'features', target: 'a' }, { source: 'a', target: 'b' }, { source: 'b', target: 'a' });
    const cyclic = problemsOf(doc).filter((p) => p.message.includes('cycle'));
    expect(cyclic.map((p) => p.nodeId).sort()).toEqual(['a', 'b']);
  });

  it('refuses edges into the input, out of the output, self-loops and duplicates', () => {
    const doc = routingGraph();
    doc.edges.push(
      { source: 'features', target: 'input' },
      { source: 'output', target: 'features' },
      { source: 'approve', target: 'approve' },
      { source: 'input', target: 'features' },
    );
    const messages = problemsOf(doc).map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        'the input node cannot have incoming edges',
        'the output node cannot have outgoing edges',
        'node "approve" is connected to itself',
        'duplicate edge from "input" to "features"',
      ]),
    );
  });

  it('names bad fields inside a node and an invalid input schema', () => {
    const doc = routingGraph();
    (doc.nodes[1] as Record<string, unknown>).timeoutMs = -5;
    (doc.nodes[0] as Record<string, unknown>).schema = { type: 'objekt' };
    (doc.nodes[2] as Record<string, unknown>).branches = ['yes', 'yes'];
    const problems = problemsOf(doc);
    expect(problems).toContainEqual(expect.objectContaining({ path: 'nodes[1].timeoutMs', nodeId: 'features' }));
    expect(problems).toContainEqual(
      expect.objectContaining({
        path: 'nodes[0].schema',
        nodeId: 'input',
        message: expect.stringContaining('invalid JSON Schema'),
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ path: 'nodes[2].branches[1]', message: 'duplicate branch "yes"' }),
    );
  });

  it('lists every problem of a badly broken document at once', () => {
    const doc = { format: 'x', name: '', nodes: [{ id: 'A', type: 'nope' }], edges: [{ source: 'A' }] };
    expect(problemsOf(doc).map((p) => [p.path, p.message])).toEqual([
      ['format', 'format must be "plinth.graph/v1", got "x"'],
      ['name', expect.stringContaining('name "" must match')],
      ['nodes[0].id', expect.stringContaining('node id "A" must match')],
      ['nodes[0].type', 'unknown node type "nope"; expected one of input, python, model, branch, output'],
      ['nodes', 'a graph needs exactly one input node, found 0'],
      ['nodes', 'a graph needs exactly one output node, found 0'],
      ['edges[0].target', expect.stringContaining('expected string')],
    ]);
  });
});
