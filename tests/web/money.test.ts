// Prices on the Buy coins page: COIN_PACKS amounts are minor units (Stripe's unit_amount), shown in the
// person's language with the currency's own decimals.
import { afterEach, describe, expect, test } from "vitest";
import { formatMoney, setLanguage } from "../../web/src/i18n";

const plain = (s: string) => s.replace(/\s/g, " ");

describe("formatMoney", () => {
  afterEach(() => setLanguage("en"));

  test("English: symbol first, two decimals for usd and eur", () => {
    setLanguage("en");
    expect(formatMoney(499, "usd")).toBe("$4.99");
    expect(formatMoney(1999, "eur")).toBe("€19.99");
    expect(formatMoney(100000, "usd")).toBe("$1,000.00");
  });

  test("Spanish: comma decimals, symbol after", () => {
    setLanguage("es");
    expect(plain(formatMoney(499, "usd"))).toBe("4,99 US$");
    expect(plain(formatMoney(1999, "eur"))).toBe("19,99 €");
  });

  test("zero-decimal currencies are not divided by 100", () => {
    setLanguage("en");
    expect(formatMoney(500, "jpy")).toBe("¥500");
  });
});
