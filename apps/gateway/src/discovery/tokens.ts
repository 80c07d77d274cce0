export const REGISTRATION_SECRET = Symbol('gateway.registrationSecret');
