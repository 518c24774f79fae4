/** Length-prefixed JSON frames: 4-byte big-endian length, then UTF-8 JSON (the runner's protocol). */

/** One buffer, one write: header and body together. */
export function encodeFrame(message: unknown): Buffer {
  const text = JSON.stringify(message);
  const length = Buffer.byteLength(text);
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(text, 4, 'utf8');
  return frame;
}

/** Frames from their JSON texts, in one buffer (one write, one allocation). */
export function encodeFrames(texts: readonly string[]): Buffer {
  const lengths = texts.map((t) => Buffer.byteLength(t));
  const frame = Buffer.allocUnsafe(lengths.reduce((sum, n) => sum + 4 + n, 0));
  let offset = 0;
  texts.forEach((text, i) => {
    frame.writeUInt32BE(lengths[i]!, offset);
    offset += 4 + frame.write(text, offset + 4, 'utf8');
  });
  return frame;
}

/**
 * Splits a byte stream into frames. Chunks of a frame that spans several reads are
 * kept in a list and joined once, so a large reply costs one copy, not one per chunk.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Bytes the frame being assembled needs in all (header included), 0 while its header is incomplete. */
  private needed = 0;

  constructor(
    private readonly onFrame: (message: unknown) => void,
    private readonly maxFrameBytes: number,
    private readonly onOversize: (bytes: number) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.buffered === 0) {
      this.drain(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.needed === 0) {
      if (this.buffered < 4) return;
      const head = Buffer.concat(this.chunks, this.buffered);
      this.chunks = [head];
      if (!this.expect(head.readUInt32BE(0))) return;
    }
    if (this.buffered < this.needed) return;
    const all = Buffer.concat(this.chunks, this.buffered);
    this.reset();
    this.drain(all);
  }

  private reset(): void {
    this.chunks = [];
    this.buffered = 0;
    this.needed = 0;
  }

  /** Records the size of the next frame; false (and everything dropped) when it is over the limit. */
  private expect(length: number): boolean {
    if (length > this.maxFrameBytes) {
      this.reset();
      this.onOversize(length);
      return false;
    }
    this.needed = 4 + length;
    return true;
  }

  private drain(buf: Buffer): void {
    let offset = 0;
    while (buf.length - offset >= 4) {
      const length = buf.readUInt32BE(offset);
      if (length > this.maxFrameBytes) {
        this.reset();
        this.onOversize(length);
        return;
      }
      const end = offset + 4 + length;
      if (end > buf.length) break;
      const message: unknown = JSON.parse(buf.toString('utf8', offset + 4, end));
      offset = end;
      this.onFrame(message);
    }
    if (offset < buf.length) {
      const rest = buf.subarray(offset);
      this.chunks = [rest];
      this.buffered = rest.length;
      this.needed = rest.length >= 4 ? 4 + rest.readUInt32BE(0) : 0;
    }
  }
}
