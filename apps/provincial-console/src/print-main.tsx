import { LanguageProvider } from '@kaowu/ui';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { PublicTicketPrintPage } from './app/tickets/public-ticket-print-page';
import './styles.css';

// 网上打印准考证: the candidates' public page (no staff token), built beside the console.
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <LanguageProvider>
      <ConfigProvider locale={zhCN} theme={{ token: { colorPrimary: '#1f5fa8', borderRadius: 4 } }} button={{ autoInsertSpace: false }}>
        <App>
          <PublicTicketPrintPage />
        </App>
      </ConfigProvider>
    </LanguageProvider>
  </StrictMode>,
);
