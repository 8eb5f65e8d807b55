import { describe, expect, it } from 'vitest';
import { storableCut, storableText, textProblem } from '../../src/common/unstorable-text.js';

describe('storableText / storableCut', () => {
  it('replaces NUL and lone surrogates, keeps whole pairs', () => {
    expect(storableText('a\u0000b\uD800c\uDC00d😀')).toBe('a\uFFFDb\uFFFDc\uFFFDd😀');
    expect(textProblem(storableText('x\u0000\uDFFF'))).toBeNull();
  });

  it('cuts first, then cleans: a cut inside an emoji leaves no half character', () => {
    const text = `${'x'.repeat(499)}😀 and more`;
    expect(text.slice(0, 500)).toMatch(/\uD83D$/); // the plain cut splits the pair
    const cut = storableCut(text, 500);
    expect(cut).toHaveLength(500);
    expect(cut.endsWith('\uFFFD')).toBe(true);
    expect(textProblem(cut)).toBeNull();
  });
});
