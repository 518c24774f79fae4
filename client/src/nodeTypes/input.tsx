import type { InputNode, Json } from '@plinth/shared/graph';
import { sharedIfLoaded } from '../api/loadShared.ts';
import { JsonField } from '../panels/JsonField.tsx';
import { useGraphStore } from '../store/GraphStoreProvider.tsx';
import type { NodeTypeView } from './defineNodeTypeView.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function schemaCheck(value: Json): string | null {
  if (!isObject(value)) return 'A JSON Schema is an object, e.g. {"type": "object"}.';
  // The graph's validation reports a bad schema too; this only answers sooner.
  const error = sharedIfLoaded()?.compileSchema(value).error;
  return error === undefined ? null : `Not a valid JSON Schema: ${error}`;
}

function InputNodeForm(props: { node: InputNode }) {
  const update = useGraphStore((s) => s.updateNode);
  return (
    <>
      <JsonField
        label="JSON Schema of the request body"
        value={props.node.schema}
        rows={8}
        check={schemaCheck}
        onChange={(schema) => update(props.node.id, { schema: schema as Record<string, unknown> })}
        hint="Requests that do not match get a 400 listing every problem."
        testId="input-schema"
      />
      <JsonField
        label="Example input"
        value={props.node.example}
        rows={6}
        onChange={(example) => update(props.node.id, { example })}
        hint="The default test input, and the example in the API snippets and OpenAPI."
        testId="input-example"
      />
    </>
  );
}

export const inputView: NodeTypeView<InputNode> = {
  label: 'Input',
  icon: '→',
  help: 'The request body, checked against a JSON Schema',
  summary: () => 'request body',
  Form: InputNodeForm,
};
