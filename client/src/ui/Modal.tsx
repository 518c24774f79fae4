import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

/**
 * A modal `<dialog>`: focus is trapped and Escape closes it, natively.
 * Rendered only while open, so its content mounts fresh each time.
 */
export function Modal(props: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (!dialog.open) dialog.showModal();
    const handleCancel = (event: Event) => {
      event.preventDefault();
      onClose.current();
    };
    dialog.addEventListener('cancel', handleCancel);
    return () => {
      dialog.removeEventListener('cancel', handleCancel);
      if (dialog.open) dialog.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={props.wide ? 'modal wide' : 'modal'}
      aria-label={props.title}
      data-testid={props.testId}
    >
      <header className="modal-header">
        <h2>{props.title}</h2>
        <button type="button" className="icon" aria-label="Close dialog" onClick={() => props.onClose()}>
          ×
        </button>
      </header>
      <div className="modal-body">{props.children}</div>
    </dialog>
  );
}

/** Ask before doing something that cannot be undone. */
export function ConfirmDialog(props: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal title={props.title} onClose={props.onCancel} testId="confirm-dialog">
      <div className="confirm-message">{props.message}</div>
      <div className="actions">
        <button type="button" onClick={props.onCancel} autoFocus>
          Cancel
        </button>
        <button type="button" className={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
