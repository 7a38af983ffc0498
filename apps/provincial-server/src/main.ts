import { parseConfig } from '@kaowu/server-kit';
import { ProvincialConfigSchema, createProvincialServer } from '@kaowu/provincial-core';

// Composition root: parse the environment once, start the provincial server, stop cleanly on a signal.
async function main() {
  const config = parseConfig(ProvincialConfigSchema);
  const server = await createProvincialServer(config);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`provincial-server failed to start: ${error.message}`);
  process.exit(1);
});
