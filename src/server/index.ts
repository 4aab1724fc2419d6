export { createGateway, type Gateway, type GatewayOptions } from './create-gateway.js';
export type { ListeningServer } from './listen.js';
