// README code blocks that must compile: every ```ts block, except those marked ```ts fragment (a few
// lines shown in context, not a module). A compiled block is a whole module: it imports what it uses.
const FENCE = /^```(\S*)[ \t]*(.*)$/;

/** The compiled ```ts blocks of one README, with the line each starts on. */
export function extractSnippets(markdown) {
  const lines = markdown.split('\n');
  const snippets = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (open === null) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !lines[i].startsWith('```'); i++) body.push(lines[i]);
    const [, language, info] = open;
    if ((language === 'ts' || language === 'typescript') && !/\bfragment\b/.test(info)) {
      snippets.push({ line: start + 1, code: `${body.join('\n')}\n` });
    }
  }
  return snippets;
}
