import { PROCTOR_NAMESPACE } from '@kaowu/contracts';
import { LanguageProvider } from '@kaowu/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { io } from 'socket.io-client';
import { App } from './app/app';
import { ProctorChannel } from './app/proctor-channel';
import { ProctorRoom } from './app/proctor-room';
import './styles.css';

// Served by the venue server under /proctor/; socket.io lives at the origin's /socket.io.
const socket = io(PROCTOR_NAMESPACE, { transports: ['websocket'], autoConnect: false });
const room = new ProctorRoom(new ProctorChannel(socket));

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <LanguageProvider>
      <App room={room} />
    </LanguageProvider>
  </StrictMode>,
);
room.start();
