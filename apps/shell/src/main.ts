// An asynchronous boundary: shared modules (React, @portal/ui) are negotiated with the remotes'
// share scope before the app's code runs.
import('./bootstrap.js').catch((err: unknown) => {
  document.body.textContent = `The portal could not start: ${err instanceof Error ? err.message : String(err)}`;
});
