import { LanguageProvider } from '@kaowu/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './app/console-app';
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <LanguageProvider>
      <ConsoleApp />
    </LanguageProvider>
  </StrictMode>,
);
