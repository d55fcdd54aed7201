import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installErrorReporting, rootErrorOptions } from './lib/errorReporting';
import { createQueryClient } from './lib/queryClient';
import { App } from './app/App';
import './index.css';

installErrorReporting();

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root, rootErrorOptions).render(
  <StrictMode>
    <App queryClient={createQueryClient()} />
  </StrictMode>,
);
