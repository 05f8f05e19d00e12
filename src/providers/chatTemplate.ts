import type { ChatMessage } from './types.js';

const ROLE_LABELS: Readonly<Record<ChatMessage['role'], string>> = { system: 'System', user: 'User', assistant: 'Assistant' };

/**
 * Strings that end an assistant turn of the plain-text chat format: the model starting the
 * next user or system turn. The local provider and `knobs serve` stop there (an end of
 * turn, not a caller's stop sequence) and leave the string out of the text.
 */
export const CHAT_END_OF_TURN: readonly string[] = ['\n\nUser:', '\n\nSystem:'];

/**
 * Renders a conversation into the plain-text prompt the local n-gram models continue.
 * The format, exactly: each message is `Role: content` with Role one of `System`, `User`,
 * `Assistant`; messages are joined by one blank line (`\n\n`); unless the last message is
 * from the assistant, the prompt ends with `\n\nAssistant:` and the model writes the reply
 * (its first token usually starts with a space). A last assistant message is a prefill:
 * the prompt ends with its text and the model continues it. Content is used as is.
 *
 * @example
 * renderChatPrompt([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
 * // "System: Be brief.\n\nUser: Hi\n\nAssistant:"
 */
export function renderChatPrompt(messages: readonly ChatMessage[]): string {
  const parts = messages.map((message) => `${ROLE_LABELS[message.role]}: ${message.content}`);
  const last = messages[messages.length - 1];
  if (last?.role !== 'assistant') parts.push('Assistant:');
  return parts.join('\n\n');
}
