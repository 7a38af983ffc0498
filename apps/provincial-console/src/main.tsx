import { LanguageProvider } from '@kaowu/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CompletenessDashboard } from './app/completeness-dashboard';
import { ResultsPage } from './app/results-page';
import './styles.css';

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <LanguageProvider>
      <ResultsPage>
        <CompletenessDashboard />
      </ResultsPage>
    </LanguageProvider>
  </StrictMode>,
);
