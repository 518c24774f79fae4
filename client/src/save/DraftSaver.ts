import type { GraphDocument } from '@plinth/shared';
import type { PlinthClient } from '../api/trpc.ts';
import { errorMessage, plinthError } from '../api/errors.ts';
import { takeGraph } from '../api/graphPreload.ts';
import type { GraphStore } from '../store/graphStore.ts';
import { createSaveStore, type SaveState, type SaveStore } from './saveStore.ts';
import { clearBackup, readBackup, writeBackup } from './localBackup.ts';
import { describeConflicts, mergeDrafts, type MergeResult } from './mergeDrafts.ts';

export const AUTOSAVE_DELAY_MS = 800;
const BACKUP_DELAY_MS = 200;

/**
 * Keeps the server's draft equal to the document of one editor's graph store: saves
 * ~800 ms after the last change (a draft with problems too), never overwrites a newer revision (asks instead), and
 * keeps what it could not save yet in localStorage so a reload loses nothing.
 */
export class DraftSaver {
  /** Where the save stands, for the editor to show. */
  readonly state: SaveStore = createSaveStore();
  private savedDoc: GraphDocument | null = null;
  /** In a conflict: the draft both sides started from (the base of a three-way merge). */
  private mergeBase: GraphDocument | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private backupTimer: ReturnType<typeof setTimeout> | null = null;
  private inflight: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private disposed = false;

  constructor(
    private readonly client: PlinthClient,
    private readonly name: string,
    private readonly graph: GraphStore,
  ) {}

  private setSave(patch: Partial<SaveState>): void {
    this.state.setState(patch);
  }

  /** Load the draft (and any unsaved local edits), then start watching the store. */
  async load(): Promise<void> {
    this.setSave({ status: 'loading', message: null, conflictRevision: null });
    const { document, revision } = await takeGraph(this.client, this.name);
    if (this.disposed) return;
    this.savedDoc = document;
    this.graph.getState().setDocument(document);
    this.setSave({ status: 'saved', revision });
    const backup = readBackup(this.name);
    if (backup !== null && JSON.stringify(backup.document) !== JSON.stringify(document)) {
      this.graph.getState().setDocument(backup.document, { keepHistory: true });
      this.mergeBase = backup.base ?? null;
      if (backup.baseRevision === revision) {
        this.setSave({ status: 'unsaved', message: 'Restored changes from this browser that were not saved yet.' });
      } else {
        this.setSave({
          status: 'conflict',
          conflictRevision: revision,
          message: 'This browser has unsaved changes made on an older revision.',
        });
      }
    }
    this.unsubscribe = this.graph.subscribe((state, prev) => {
      if (state.document !== prev.document) this.onChange(state.document);
    });
    if (this.state.getState().status === 'unsaved') this.schedule();
  }

  /** Leaving the editor: keep unsaved work (in this browser at once, and on the server if it can be saved). */
  dispose(): void {
    const doc = this.graph.getState().document;
    const { status, revision } = this.state.getState();
    if (this.savedDoc !== null && doc !== this.savedDoc && status !== 'loading') {
      writeBackup(this.name, { baseRevision: revision ?? 0, document: doc, ...this.backupBase() });
      if (status !== 'conflict') void this.save();
    }
    this.disposed = true;
    this.unsubscribe?.();
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.backupTimer !== null) clearTimeout(this.backupTimer);
  }

  private onChange(doc: GraphDocument): void {
    const { status } = this.state.getState();
    if (doc === this.savedDoc) {
      if (status !== 'conflict') this.setSave({ status: 'saved' });
      clearBackup(this.name);
      return;
    }
    this.scheduleBackup();
    if (status === 'conflict') return;
    if (status !== 'saving') this.setSave({ status: 'unsaved' });
    this.schedule();
  }

  /** What a backup keeps as its merge base: the draft its base revision had. */
  private backupBase(): { base?: GraphDocument } {
    const base = this.state.getState().status === 'conflict' ? this.mergeBase : this.savedDoc;
    return base === null ? {} : { base };
  }

  /** Copy to localStorage shortly after changes stop (not on every frame of a drag). */
  private scheduleBackup(): void {
    if (this.backupTimer !== null) clearTimeout(this.backupTimer);
    this.backupTimer = setTimeout(() => {
      this.backupTimer = null;
      const doc = this.graph.getState().document;
      if (doc !== this.savedDoc)
        writeBackup(this.name, {
          baseRevision: this.state.getState().revision ?? 0,
          document: doc,
          ...this.backupBase(),
        });
    }, BACKUP_DELAY_MS);
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.save();
    }, AUTOSAVE_DELAY_MS);
  }

  /** Save now if needed; resolves true when the server has what is on screen. */
  async flush(): Promise<boolean> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inflight !== null) await this.inflight;
    if (this.graph.getState().document !== this.savedDoc) await this.save();
    return this.state.getState().status === 'saved';
  }

  private save(): Promise<void> {
    if (this.inflight !== null) {
      // A save is running: save again once it is done.
      return this.inflight.then(() => this.save());
    }
    this.inflight = this.doSave().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async doSave(): Promise<void> {
    // Read the state before the first await: a final save from dispose() runs on
    // after the editor is gone.
    const { status, revision: baseRevision } = this.state.getState();
    const doc = this.graph.getState().document;
    if (status === 'conflict' || doc === this.savedDoc || this.disposed) return;
    // Saved as it is, problems and all (a cycle, a missing edge): only publishing needs a valid graph.
    if (!this.disposed) this.setSave({ status: 'saving' });
    try {
      const { revision } = await this.client.graphs.update.mutate({
        name: this.name,
        document: doc,
        revision: baseRevision ?? 0,
      });
      this.savedDoc = doc;
      // A save finishing after the editor closed has no one to tell.
      if (this.disposed) return clearBackup(this.name);
      const current = this.graph.getState().document;
      if (current === doc) clearBackup(this.name);
      this.setSave({ revision, status: current === doc ? 'saved' : 'unsaved', message: null });
      if (current !== doc) this.schedule();
    } catch (error) {
      if (this.disposed) return; // the local backup keeps the work
      const body = plinthError(error);
      if (body?.code === 'revision_mismatch') {
        this.mergeBase = this.savedDoc;
        const currentRevision = typeof body.currentRevision === 'number' ? body.currentRevision : null;
        this.setSave({ status: 'conflict', conflictRevision: currentRevision, message: body.message });
      } else {
        this.setSave({ status: 'error', message: errorMessage(error) });
      }
    }
  }

  /**
   * Conflict: what a three-way merge of ours and the newer revision gives, node by node;
   * null when the base both started from is not known (so only theirs or mine can be kept).
   */
  async planMerge(): Promise<{ result: MergeResult; theirs: GraphDocument; revision: number } | null> {
    const base = this.mergeBase;
    if (base === null) return null;
    const { document: theirs, revision } = await this.client.graphs.get.query({ name: this.name });
    return { result: mergeDrafts(base, this.graph.getState().document, theirs), theirs, revision };
  }

  /** Conflict: keep both sides' changes (they touched different nodes), then save the merge. */
  async mergeBoth(): Promise<void> {
    const plan = await this.planMerge();
    if (plan === null) throw new Error('The revision both edits started from is not known here: keep theirs or mine.');
    if (!plan.result.ok)
      throw new Error(`Both edits changed ${describeConflicts(plan.result.conflicts)}: keep theirs or mine.`);
    this.savedDoc = plan.theirs;
    this.mergeBase = null;
    this.setSave({ status: 'unsaved', revision: plan.revision, conflictRevision: null, message: null });
    this.graph.getState().setDocument(plan.result.document, { keepHistory: true });
    await this.flush();
  }

  /** Conflict: drop our changes and load the newer revision. */
  async takeTheirs(): Promise<void> {
    const { document, revision } = await this.client.graphs.get.query({ name: this.name });
    this.mergeBase = null;
    this.savedDoc = document;
    clearBackup(this.name);
    this.graph.getState().setDocument(document, { keepHistory: true });
    this.setSave({ status: 'saved', revision, conflictRevision: null, message: null });
  }

  /** Conflict: save ours over the newer revision, knowingly. */
  async keepMine(): Promise<void> {
    let { conflictRevision } = this.state.getState();
    if (conflictRevision === null)
      conflictRevision = (await this.client.graphs.get.query({ name: this.name })).revision;
    this.setSave({ status: 'unsaved', revision: conflictRevision, conflictRevision: null, message: null });
    this.mergeBase = null;
    this.savedDoc = null;
    await this.save();
  }
}
