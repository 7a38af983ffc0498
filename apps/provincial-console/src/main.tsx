import { LanguageProvider } from '@kaowu/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ResultsPage } from './app/results-page';
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <LanguageProvider>
      <ResultsPage />
    </LanguageProvider>
  </StrictMode>,
);
