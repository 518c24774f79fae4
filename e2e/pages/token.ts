/** The admin token the e2e server was started with (playwright.config.ts). */
export const ADMIN_TOKEN = process.env.PLINTH_E2E_TOKEN ?? 'e2e-admin-token-0123456789abcdef';
