import { useAuthSession, useIdentity } from '@portal/ui';
import { useEffect, useId, useRef, useState } from 'react';

/** The signed-in user and sign-out, as a disclosure menu (Escape and outside clicks close it). */
export function UserMenu() {
  const identity = useIdentity();
  const session = useAuthSession();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onClick);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onClick);
    };
  }, [open]);

  if (!identity) return null;
  const name = identity.profile.displayName ?? identity.userEntityRef.replace(/^user:(default\/)?/, '');
  return (
    <div className="shell-user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="pt-button pt-button-quiet"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
      >
        {name}
      </button>
      {open && (
        <div id={menuId} className="shell-user-panel pt-card">
          <p>
            Signed in as <strong>{identity.userEntityRef}</strong>
            <br />
            <span className="pt-muted">via {identity.provider}</span>
          </p>
          <button type="button" className="pt-button" onClick={() => void session.signOut()}>
            Sign out
          </button>
        </div>
      )}
    </div>
  );
}
