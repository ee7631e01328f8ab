// The shapes of API.md, the shared HTTP contract, as the app reads them.

export type Role = "USER" | "ADMIN";
export type Language = "en" | "es";
export type ImageType = "GENERATED" | "UPLOADED";
export type ImageStatus = "PENDING" | "PROCESSING" | "COMPLETED" | "FAILED";

export interface User {
  id: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  roles: Role[];
  language: Language;
  coins: number;
  createdAt: string;
}

export interface AppConfig {
  generationCost: number;
  aspectRatios: string[];
  maxUploadBytes: number;
  languages: Language[];
  devLogin: boolean;
  googleLogin: boolean;
  billing: boolean;
  dailyReward: number;
  // The offered image models, the default first (API.md "Image models").
  models?: ImageModel[];
}

export type ImageSize = "0.5K" | "1K" | "2K" | "4K";

export interface ImageModel {
  id: string;
  name: string;
  default: boolean;
  imageSizes: ImageSize[];
  aspectRatios: string[];
  maxReferences: number;
  grounding: boolean;
  thinking: boolean;
  costs: Partial<Record<ImageSize, number>>;
}

export interface Grounding {
  queries: string[];
  sources: { title: string; uri: string }[];
}

export interface Image {
  id: string;
  type: ImageType;
  status: ImageStatus;
  title: string | null;
  description: string | null;
  prompt: string | null;
  aspectRatio: string | null;
  width: number | null;
  height: number | null;
  format: string | null;
  size: number | null;
  url: string | null;
  thumbnailUrl: string | null;
  coinsUsed: number;
  error: string | null;
  parentImageIds: string[];
  favorite: boolean;
  shareUrl: string | null;
  createdAt: string;
  updatedAt: string;
  model?: string | null;
  imageSize?: ImageSize | null;
  grounding?: Grounding | null;
}

export interface Storage {
  used: number;
  quota: number;
}

export interface ImageStats {
  total: number;
  byType: Record<ImageType, number>;
  byStatus: Record<ImageStatus, number>;
  coinsSpent: number;
  bytesStored: number;
  favorites?: number;
}

export interface Transaction {
  id: string;
  delta: number;
  reason: string;
  imageId: string | null;
  balanceAfter: number;
  createdAt: string;
}

// GET /api/admin/audit: an admin's role change or coin grant.
export interface AuditEntry {
  id: string;
  actorId: string;
  targetUserId: string;
  action: "roles.update" | "coins.grant";
  before: { roles?: string[]; coins?: number };
  after: { roles?: string[]; coins?: number; delta?: number; reason?: string };
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total?: number | null;
}

export interface CoinPack {
  id: string;
  coins: number;
  amount: number; // minor units of currency
  currency: string;
}

export type PurchaseStatus = "pending" | "paid" | "refunded" | "failed" | "expired";

export interface Purchase {
  id: string;
  packId: string;
  coins: number;
  amount: number;
  currency: string;
  status: PurchaseStatus;
  createdAt: string;
}

export interface AdminPurchase extends Purchase {
  userId: string;
  sessionId: string | null;
  paymentIntent: string | null;
  refundedCoins: number;
  refundShortfall: number;
  updatedAt: string;
}

export interface DailyRewardState {
  coins: number;
  claimedToday: boolean;
  nextAt: string;
}

export const isTerminal = (status: ImageStatus): boolean => status === "COMPLETED" || status === "FAILED";
