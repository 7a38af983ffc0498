import { parseConfig } from '@kaowu/server-kit';
import { VenueConfigSchema, createVenueServer } from '@kaowu/venue-core';

// Composition root: parse the environment once, start the venue server, stop cleanly on a signal.
async function main() {
  const config = parseConfig(VenueConfigSchema);
  const server = await createVenueServer(config);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(`venue-server failed to start: ${error.message}`);
  process.exit(1);
});
