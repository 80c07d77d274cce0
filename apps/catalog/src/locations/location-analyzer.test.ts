import { descriptorTarget, suggestedName } from './location-analyzer.js';

describe('location analysis helpers', () => {
  it('looks for the descriptor file in the folder, or takes the YAML file named', () => {
    expect(descriptorTarget('https://git.example.com/org/repo')).toBe(
      'https://git.example.com/org/repo/catalog-info.yaml',
    );
    expect(descriptorTarget('https://git.example.com/org/repo/', 'backstage.yml')).toBe(
      'https://git.example.com/org/repo/backstage.yml',
    );
    expect(descriptorTarget('https://git.example.com/org/repo/blob/main/x.YAML')).toBe(
      'https://git.example.com/org/repo/blob/main/x.YAML',
    );
  });

  it('suggests a valid entity name from the repository', () => {
    expect(suggestedName('https://git.example.com/org/my-repo.git')).toBe('my-repo');
    expect(suggestedName('https://git.example.com/org/My Repo!!/')).toBe('My-Repo');
    expect(suggestedName('https://git.example.com/')).toBe('git.example.com');
    expect(suggestedName(`https://x/${'a'.repeat(80)}`)).toHaveLength(63);
    expect(suggestedName('https://x/---')).toBe('component');
  });
});
