/** This build's release (see vite.config.ts), named in client error reports. */
declare const __APP_RELEASE__: string;
