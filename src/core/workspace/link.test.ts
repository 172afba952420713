import { describe, expect, it } from 'vitest';
import { VIEWS, VIEW_TABS, joinWorkspace, splitWorkspace } from './link';
import { parseLink, serialiseLink } from '../config/link';
import { defaultConfig } from '../config/schema';

describe('the workspace part of the address', () => {
  it('round-trips the view and the lesson step around the experiment link', () => {
    const experiment = serialiseLink(defaultConfig());
    const hash = joinWorkspace({ view: 'schedule', lesson: 'https://school.example/a b.md', step: 2 }, experiment);
    expect(hash.startsWith('view=schedule&lesson=https%3A%2F%2Fschool.example%2Fa%20b.md&step=3&')).toBe(true);
    const back = splitWorkspace(hash);
    expect(back).toEqual({ workspace: { view: 'schedule', lesson: 'https://school.example/a b.md', step: 2 }, experiment, problems: [] });
    expect(parseLink(back.experiment).issues).toEqual([]);
  });

  it('leaves the default view out, so an experiment link stays as it was', () => {
    expect(joinWorkspace({ view: 'train', lesson: null, step: 0 }, 'v=1&lr=0.01')).toBe('v=1&lr=0.01');
  });

  it('names an unknown view or step and keeps the experiment', () => {
    const { workspace, experiment, problems } = splitWorkspace('view=kitchen&step=zero&lr=0.01&lesson=');
    expect(workspace).toEqual({ view: null, lesson: null, step: 0 });
    expect(experiment).toBe('lr=0.01');
    expect(problems).toEqual([expect.stringContaining('"kitchen" is not a view'), expect.stringContaining('"zero" is not a step'), expect.stringContaining('lesson:')]);
  });

  it('has one tab per view, in the order the views are declared, each with a label', () => {
    expect(VIEW_TABS.map((t) => t.id)).toEqual([...VIEWS]);
    for (const t of VIEW_TABS) expect(t.label.length).toBeGreaterThan(0);
  });
});
