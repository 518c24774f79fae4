import type { Locator } from '@playwright/test';

/**
 * Replace what a text field holds by typing, as a person does: click into it, select all, type.
 * (Not `fill`, which sets the value without a keystroke.)
 */
export async function retype(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.page().keyboard.press('ControlOrMeta+A');
  if (text === '') await field.page().keyboard.press('Delete');
  else await field.page().keyboard.type(text);
}
