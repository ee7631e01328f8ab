// The generate page's model and size pickers: each model's prices, only the chosen model's sizes.
import { describe, expect, test } from "vitest";
import type { ImageModel } from "../../web/src/types";
import { modelPicker, pricesText, sizeLabel, sizePicker } from "../../web/src/ui/model_picker";

const pro: ImageModel = {
  id: "gemini-3-pro-image-preview", name: "Nano Banana Pro", default: false, imageSizes: ["1K", "2K", "4K"],
  aspectRatios: ["1:1", "16:9"], maxReferences: 14, grounding: true, thinking: false, costs: { "1K": 30, "2K": 30, "4K": 50 },
};
const flash31: ImageModel = {
  id: "gemini-3.1-flash-image-preview", name: "Nano Banana 2", default: true, imageSizes: ["0.5K", "1K", "4K"],
  aspectRatios: ["1:1", "8:1"], maxReferences: 14, grounding: true, thinking: true, costs: { "0.5K": 6, "1K": 10, "4K": 25 },
};

describe("model picker", () => {
  test("one card per model with its name and a price per size, the initial one checked", () => {
    const picked: string[] = [];
    const picker = modelPicker([flash31, pro], pro.id, (id) => picked.push(id));
    const cards = [...picker.el.querySelectorAll(".model-option")];
    expect(cards.map((c) => c.querySelector(".model-name")!.textContent)).toEqual(["Nano Banana 2", "Nano Banana Pro"]);
    expect(cards[1].querySelector(".model-prices")!.textContent).toBe(pricesText(pro));
    expect(pricesText(flash31)).toMatch(/^512 px 6 coins · 1K 10 coins · 4K 25 coins$/);
    expect(picker.el.querySelector<HTMLInputElement>(`input[value='${pro.id}']`)!.checked).toBe(true);
    const first = picker.el.querySelector<HTMLInputElement>(`input[value='${flash31.id}']`)!;
    first.checked = true;
    first.dispatchEvent(new Event("change"));
    expect(picked).toEqual([flash31.id]);
  });

  test("the size picker offers only the model's sizes, each with its price", () => {
    const picked: string[] = [];
    const el = sizePicker(pro, "2K", (s) => picked.push(s)).el;
    const inputs = [...el.querySelectorAll<HTMLInputElement>("input")];
    expect(inputs.map((i) => i.value)).toEqual(["1K", "2K", "4K"]);
    expect(inputs.find((i) => i.checked)!.value).toBe("2K");
    expect([...el.querySelectorAll(".size-price")].map((p) => p.textContent)).toEqual(["30 coins", "30 coins", "50 coins"]);
    inputs[2].checked = true;
    inputs[2].dispatchEvent(new Event("change"));
    expect(picked).toEqual(["4K"]);
    expect(sizeLabel("0.5K")).toBe("512 px");
    expect(sizeLabel("4K")).toBe("4K");
  });
});
