import { type ArgumentMetadata, BadRequestException, Injectable, ValidationPipe } from '@nestjs/common';

/** Deeper than any body of the shop (`{ items: [{ … }] }` is 3), far below what would overflow the stack. */
export const MAX_BODY_DEPTH = 5;

/** How deep a JSON value nests (a scalar is 0, `{}` and `[]` are 1), walked without recursion. */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Nest's `ValidationPipe` (whitelist, unknown fields refused), after a depth check of the body.
 * `class-transformer` and the pipe's own clean-up walk a body recursively, so a small body of
 * nested arrays (40 KB of `[[[[…]]]]`) overflowed the stack and answered 500; it is now a 400
 * before they see it. The size of bodies is capped by the body parser (see `create-shop-app.ts`).
 */
@Injectable()
export class ShopValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && jsonDepth(value, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
      throw new BadRequestException(`The request body nests deeper than ${MAX_BODY_DEPTH} levels`);
    }
    return super.transform(value, metadata);
  }
}
