/** JSON-RPC messages over a WebSocket, one message per text frame (as the server relays them). */
import {
  AbstractMessageReader,
  AbstractMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
} from 'vscode-jsonrpc/browser';

export class WebSocketMessageReader extends AbstractMessageReader implements MessageReader {
  private callback: DataCallback | null = null;
  private readonly buffered: Message[] = [];

  constructor(socket: WebSocket) {
    super();
    socket.addEventListener('message', (event: MessageEvent<string>) => {
      try {
        const message = JSON.parse(event.data) as Message;
        if (this.callback) this.callback(message);
        else this.buffered.push(message);
      } catch (err) {
        this.fireError(err);
      }
    });
    socket.addEventListener('error', () => this.fireError(new Error('the language server connection failed')));
    socket.addEventListener('close', () => this.fireClose());
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    for (const message of this.buffered.splice(0)) callback(message);
    return { dispose: () => (this.callback = null) };
  }
}

export class WebSocketMessageWriter extends AbstractMessageWriter implements MessageWriter {
  constructor(private readonly socket: WebSocket) {
    super();
  }

  write(message: Message): Promise<void> {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error('the language server connection is closed'));
    }
    this.socket.send(JSON.stringify(message));
    return Promise.resolve();
  }

  end(): void {
    this.socket.close();
  }
}
