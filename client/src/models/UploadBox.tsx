import { useRef, useState, type DragEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '../api/trpc.ts';
import { errorMessage, plinthError } from '../api/errors.ts';
import { filesFromInput, isTarGz, packFolder, readDrop, type PickedFile } from './packModel.ts';

type Uploaded = { name: string; version: number };
type Problem = { path?: string; message: string };

/**
 * Drop a model folder or a .tar.gz (or pick either): a folder is packed here, then the
 * package goes up through tRPC. Every problem the server finds is listed.
 */
export function UploadBox(props: { onUploaded: (model: Uploaded) => void }) {
  const trpc = useTRPC();
  const folderInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [problems, setProblems] = useState<{ title: string; list: Problem[] } | null>(null);
  const upload = useMutation(trpc.models.upload.mutationOptions());

  const send = async (body: Blob, label: string) => {
    setBusy(`Uploading ${label}…`);
    try {
      const created = await upload.mutateAsync(body);
      setProblems(null);
      props.onUploaded(created);
    } catch (e) {
      const plinth = plinthError(e);
      const listed = plinth?.problems ?? [];
      setProblems({
        title:
          listed.length > 0 ? `${label} was not deployed: ${listed.length} problem(s)` : `${label} was not deployed`,
        list: listed.length > 0 ? listed : [{ message: errorMessage(e) }],
      });
    } finally {
      setBusy(null);
    }
  };

  const sendFolder = async (files: PickedFile[]) => {
    setBusy('Packing the folder…');
    const packed = await packFolder(files);
    if (!packed.ok) {
      setBusy(null);
      setProblems({ title: 'The folder cannot be packed', list: packed.problems.map((message) => ({ message })) });
      return;
    }
    await send(new Blob([packed.archive as BlobPart], { type: 'application/gzip' }), packed.label);
  };

  const sendArchive = async (file: File) => {
    if (!isTarGz(file.name)) {
      setProblems({
        title: `${file.name} was not deployed`,
        list: [{ message: 'Pick a .tar.gz (or .tgz) of the model package, or its folder.' }],
      });
      return;
    }
    await send(file, file.name);
  };

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (busy !== null) return;
    const dropped = await readDrop(event.dataTransfer.items);
    if (dropped.kind === 'folder') await sendFolder(dropped.files);
    else if (dropped.kind === 'archive') await sendArchive(dropped.file);
    else setProblems({ title: 'Nothing was deployed', list: [{ message: dropped.problem }] });
  };

  return (
    <section
      className={over ? 'upload-box over' : 'upload-box'}
      aria-label="Deploy a model"
      data-testid="model-upload"
      onDragOver={(e) => {
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <p>
        <strong>Deploy a model:</strong> drop its folder (<code>config.yaml</code>, <code>model/model.py</code>,{' '}
        <code>data/</code>) or a <code>.tar.gz</code> of it here, or
      </p>
      <div className="actions">
        <button type="button" disabled={busy !== null} onClick={() => folderInput.current?.click()}>
          Choose folder…
        </button>
        <button type="button" disabled={busy !== null} onClick={() => fileInput.current?.click()}>
          Choose .tar.gz…
        </button>
      </div>
      <input
        ref={folderInput}
        type="file"
        hidden
        data-testid="model-upload-folder"
        aria-label="Model folder"
        {...{ webkitdirectory: '', directory: '' }}
        onChange={(e) => {
          const list = e.target.files;
          if (list !== null && list.length > 0) void filesFromInput(list).then(sendFolder);
          e.target.value = '';
        }}
      />
      <input
        ref={fileInput}
        type="file"
        hidden
        accept=".tar.gz,.tgz,application/gzip"
        data-testid="model-upload-file"
        aria-label="Model package (.tar.gz)"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file !== undefined) void sendArchive(file);
          e.target.value = '';
        }}
      />
      <p className="hint">
        Each upload is the next version of the model named by <code>model_name</code>. A package larger than the
        server&apos;s request limit (<code>PLINTH_MAX_BODY_BYTES</code>) goes up with{' '}
        <code>npx plinth deploy ./my-model</code> instead (up to <code>PLINTH_MODEL_MAX_BYTES</code>).
      </p>
      {busy !== null && (
        <p role="status" aria-live="polite">
          {busy}
        </p>
      )}
      {problems !== null && (
        <div className="error" role="alert" data-testid="model-upload-problems">
          <p>{problems.title}</p>
          <ul className="problems">
            {problems.list.map((p, i) => (
              <li key={i}>
                {p.path ? <code>{p.path}</code> : null}
                {p.path ? ': ' : ''}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
