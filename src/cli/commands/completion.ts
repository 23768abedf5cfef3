import { Argument, type Command, type Option } from 'commander';
import type { CommandContext } from '../main.ts';
import { Exit } from '../exit.ts';

interface CmdSpec {
  name: string;
  description: string;
  options: { flags: string[]; takesValue: boolean; choices: string[]; description: string }[];
}

/** Commands and options read from the commander program itself, so completion never drifts from the CLI. */
function specOf(program: Command): CmdSpec[] {
  return program.commands
    .filter((c) => c.name() !== 'help')
    .map((c) => ({
      name: c.name(),
      description: c.description(),
      options: (c.options as readonly Option[])
        .filter((o) => !o.hidden)
        .map((o) => ({
          flags: [o.short, o.long].filter((x): x is string => typeof x === 'string'),
          takesValue: o.required || o.optional,
          choices: o.argChoices ?? choicesFromDescription(o.description),
          description: o.description,
        })),
    }));
}

/** `output format: text, json, yaml (default: text)` -> [text, json, yaml]. */
function choicesFromDescription(d: string): string[] {
  const m = /^output format: ([a-z, ]+?)(?: \(|$)/.exec(d);
  return m ? m[1]!.split(', ') : [];
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export function bashCompletion(spec: CmdSpec[]): string {
  const cases = spec
    .map((c) => {
      const words = c.options.flatMap((o) => o.flags).join(' ');
      const values = c.options
        .filter((o) => o.choices.length > 0)
        .map((o) => `        ${o.flags.join('|')}) COMPREPLY=( $(compgen -W ${q(o.choices.join(' '))} -- "$cur") ); return ;;`)
        .join('\n');
      return `    ${c.name})\n      case "$prev" in\n${values}${values ? '\n' : ''}      esac\n      COMPREPLY=( $(compgen -W ${q(`${words} --help`)} -- "$cur") $(compgen -f -- "$cur") ); return ;;`;
    })
    .join('\n');
  return `# bash completion for gwe (gateway-evidence). Load: source <(gwe completion bash)
_gwe() {
  local cur prev cmd
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W ${q(spec.map((c) => c.name).join(' ') + ' help --help --version')} -- "$cur") ); return
  fi
  case "$cmd" in
${cases}
  esac
}
complete -F _gwe gwe gateway-evidence kubectl-gwe
`;
}

export function zshCompletion(spec: CmdSpec[]): string {
  const esc = (s: string): string => s.replace(/[[\]:'\\]/g, (c) => `\\${c}`);
  const subs = spec.map((c) => `    ${q(`${c.name}:${esc(c.description)}`)}`).join('\n');
  const cases = spec
    .map((c) => {
      const args = c.options
        .map((o) => {
          const names = o.flags.length > 1 ? `{${o.flags.join(',')}}` : o.flags[0]!;
          const value = o.takesValue ? (o.choices.length > 0 ? `:value:(${o.choices.join(' ')})` : ':value:_files') : '';
          return `        ${o.flags.length > 1 ? `'(${o.flags.join(' ')})'` : ''}${names}${q(`[${esc(o.description)}]${value}`)}`;
        })
        .join(' \\\n');
      return `    ${c.name})\n      _arguments -s \\\n${args} \\\n        '*:file:_files' ;;`;
    })
    .join('\n');
  return `#compdef gwe gateway-evidence kubectl-gwe
# zsh completion for gwe (gateway-evidence). Load: source <(gwe completion zsh), or save as _gwe on $fpath.
_gwe() {
  local -a subcommands
  subcommands=(
${subs}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' subcommands
    return
  fi
  case "$words[2]" in
${cases}
  esac
}
compdef _gwe gwe gateway-evidence kubectl-gwe
`;
}

export function fishCompletion(spec: CmdSpec[]): string {
  const fq = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# fish completion for gwe (gateway-evidence). Load: gwe completion fish | source', 'complete -c gwe -f'];
  for (const c of spec) lines.push(`complete -c gwe -n '__fish_use_subcommand' -a ${c.name} -d ${fq(c.description.slice(0, 80))}`);
  for (const c of spec) {
    for (const o of c.options) {
      const parts = [`complete -c gwe -n '__fish_seen_subcommand_from ${c.name}'`];
      for (const f of o.flags) parts.push(f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`);
      if (o.takesValue) parts.push(o.choices.length > 0 ? `-x -a ${fq(o.choices.join(' '))}` : '-r -F');
      parts.push(`-d ${fq(o.description.slice(0, 80))}`);
      lines.push(parts.join(' '));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `gwe completion bash|zsh|fish`: a completion script on stdout, generated from the commands themselves. */
export function registerCompletion(program: Command, ctx: CommandContext): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(gwe completion bash); gwe completion fish | source')
    .addArgument(new Argument('<shell>', 'shell').choices(['bash', 'zsh', 'fish']))
    .action((shell: 'bash' | 'zsh' | 'fish') => {
      const spec = specOf(program);
      ctx.io.stdout(shell === 'bash' ? bashCompletion(spec) : shell === 'zsh' ? zshCompletion(spec) : fishCompletion(spec));
      ctx.exitCode = Exit.OK;
    });
}
