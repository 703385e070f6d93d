// Auth.js route handlers (/api/auth/*).
import { handlers } from "./auth";

export const { GET, POST } = handlers;
