// jsdom lacks TextEncoder/TextDecoder, which react-router uses at import: take Node's.
import { TextDecoder, TextEncoder } from 'node:util';

Object.assign(globalThis, { TextEncoder, TextDecoder });
