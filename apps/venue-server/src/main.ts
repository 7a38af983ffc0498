import { parseConfig, runServer } from '@kaowu/server-kit';
import { VenueConfigSchema, createVenueServer } from '@kaowu/venue-core';

// Composition root: parse the environment once, start the venue server.
runServer('venue-server', () => createVenueServer(parseConfig(VenueConfigSchema)));
