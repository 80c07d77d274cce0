import '@portal/ui/styles.css';
import './shell.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

createRoot(document.getElementById('root')!, {
  // An error boundary already shows these to the user, with Retry; keep the console for the unexpected.
  onCaughtError: (error) => console.warn('Caught by an error boundary:', error),
}).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
