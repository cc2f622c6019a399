/** Strings of the Call centre's move dialog and wallboard (the older `queues.*` keys live in `i18n/en.ts`). */
export const en = {
  'queues.move': 'Move',
  'queues.moveTitle': 'Move {agent} from {queue}',
  'queues.moveTo': 'Move to queue',
  'queues.moveKeeps': 'Keeps penalty {penalty}.',
  'queues.moveKeepsPaused': 'Stays paused ({reason}).',
  'queues.moveNoTarget': 'There is no other queue on this PBX.',
  'queues.done.move': '{agent} moved from {from} to {to}.',
  'queues.move.addFailed': '{agent} was not moved: adding to {to} failed ({message}). Nothing was removed.',
  'queues.move.removeFailed':
    '{agent} was added to {to}, but removing from {from} failed ({message}), so {agent} is now in both.',
  'queues.move.reasonFailed':
    '{agent} moved from {from} to {to}; the pause reason could not be kept ({message}).',
  'queues.wallboard': 'Wallboard',
  'queues.wallboard.open': 'Open the wallboard (TV view)',
  'queues.wallboard.title': 'Call centre wallboard',
  'queues.wallboard.queue': 'Queue {name}',
  'queues.wallboard.exit': 'Exit wallboard',
  'queues.wallboard.exitHint': 'or press Escape',
  'queues.wallboard.fullscreen': 'Full screen',
  'queues.wallboard.free': 'Free',
  'queues.wallboard.busy': 'Busy',
  'queues.wallboard.paused': 'Paused',
  'queues.wallboard.stale': 'Not live: {state}',
} as const;

/** Spanish. */
export const es: Record<keyof typeof en, string> = {
  'queues.move': 'Mover',
  'queues.moveTitle': 'Mover a {agent} desde {queue}',
  'queues.moveTo': 'Mover a la cola',
  'queues.moveKeeps': 'Conserva la penalización {penalty}.',
  'queues.moveKeepsPaused': 'Sigue en pausa ({reason}).',
  'queues.moveNoTarget': 'No hay otra cola en esta centralita.',
  'queues.done.move': '{agent} movido de {from} a {to}.',
  'queues.move.addFailed':
    '{agent} no se ha movido: falló el alta en {to} ({message}). No se ha quitado nada.',
  'queues.move.removeFailed':
    '{agent} se ha añadido a {to}, pero falló quitarlo de {from} ({message}), así que ahora está en las dos.',
  'queues.move.reasonFailed':
    '{agent} movido de {from} a {to}; no se pudo conservar el motivo de la pausa ({message}).',
  'queues.wallboard': 'Panel mural',
  'queues.wallboard.open': 'Abrir el panel mural (vista para TV)',
  'queues.wallboard.title': 'Panel mural del centro de llamadas',
  'queues.wallboard.queue': 'Cola {name}',
  'queues.wallboard.exit': 'Salir del panel mural',
  'queues.wallboard.exitHint': 'o pulse Escape',
  'queues.wallboard.fullscreen': 'Pantalla completa',
  'queues.wallboard.free': 'Libres',
  'queues.wallboard.busy': 'Ocupados',
  'queues.wallboard.paused': 'En pausa',
  'queues.wallboard.stale': 'Sin datos en vivo: {state}',
};
