import { EXAM_NAMESPACE } from '@kaowu/contracts';
import { LanguageProvider } from '@kaowu/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { io } from 'socket.io-client';
import { App, MachineConfigError } from './app/app';
import { ExamChannel } from './app/exam-channel';
import { ExamSession } from './app/exam-session';
import { installLockdown } from './app/lockdown';
import { readMachineIdentity } from './app/machine-identity';
import { SealedAnswerQueue } from './app/sealed-answer-queue';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
const identity = readMachineIdentity(window.location.search);

if (!identity.ok) {
  installLockdown(document);
  root.render(
    <LanguageProvider>
      <MachineConfigError field={identity.field} />
    </LanguageProvider>,
  );
} else {
  // Same origin as the page (the venue server serves this client), websocket only.
  const socket = io(EXAM_NAMESPACE, { transports: ['websocket'], autoConnect: false, reconnectionDelayMax: 3_000 });
  // Unacknowledged answers wait in IndexedDB, sealed per attempt, until the venue has them.
  const session = new ExamSession(new ExamChannel(socket), identity.hello, {}, new SealedAnswerQueue());
  // Fullscreen on the first gesture; not under browser automation (the tests), where entering it
  // resizes the page between a click's press and release. A real exam machine is never automated.
  installLockdown(document, { fullscreen: !navigator.webdriver, onFocusLost: (kind) => session.reportFocusLoss(kind) });
  root.render(
    <StrictMode>
      <LanguageProvider>
        <App session={session} />
      </LanguageProvider>
    </StrictMode>,
  );
  session.start();
}
