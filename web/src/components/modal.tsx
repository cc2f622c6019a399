/** A modal dialog on the native `<dialog>` element (focus trapping, Escape to close, returns focus). */
import { type ReactNode, useEffect, useId, useRef } from 'react';

/** Props of {@link Modal}. */
export interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
}

/** Shows `children` in a modal dialog named by `title`. */
export function Modal({ title, onClose, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      opener?.focus?.();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
