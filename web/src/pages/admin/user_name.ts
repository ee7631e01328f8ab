import type { User } from "../../types";

// How the admin pages name a user: the full name, else first and last, else the email.
export const nameOf = (u: User): string => u.fullName || [u.firstName, u.lastName].filter(Boolean).join(" ") || u.email;
