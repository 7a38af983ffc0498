import { parseConfig, runServer } from '@kaowu/server-kit';
import { ProvincialConfigSchema, createProvincialServer } from '@kaowu/provincial-core';

// Composition root: parse the environment once, start the provincial server.
runServer('provincial-server', () => createProvincialServer(parseConfig(ProvincialConfigSchema)));
