/** ConfBridge list actions of the simulated PBX (app_confbridge's manager actions). */
import { error, header, type ListItem, list, type SimModule } from './action-table.js';
import { channelPairs } from './headers.js';

/** The conference actions. */
export const conferenceModule: SimModule = {
  name: 'confbridge',
  actions: {
    ConfbridgeListRooms: (core, a) => {
      const rooms = [...core.state.conferences.values()];
      if (rooms.length === 0) return error(a, 'No active conferences.');
      const items: ListItem[] = rooms.map((c) => ({
        pairs: [
          ['Event', 'ConfbridgeListRooms'],
          ['Conference', c.name],
          ['Parties', String(c.members.length)],
          ['Marked', '0'],
          ['Locked', 'No'],
          ['Muted', 'No'],
        ],
      }));
      return list(a, 'Confbridge conferences will follow', items, 'ConfbridgeListRoomsComplete');
    },
    ConfbridgeList: (core, a) => {
      const name = header(a, 'Conference');
      if (!name) return error(a, 'No Conference name provided.');
      const conf = core.state.conferences.get(name);
      if (!conf || conf.members.length === 0) return error(a, 'No Conference by that name found.');
      const now = core.clock.now();
      const items: ListItem[] = [];
      for (const m of conf.members) {
        const ch = core.state.channel(m.channel);
        if (!ch) continue;
        items.push({
          pairs: [
            ['Event', 'ConfbridgeList'],
            ['Conference', name],
            ['Admin', m.admin ? 'Yes' : 'No'],
            ['MarkedUser', 'No'],
            ['WaitMarked', 'No'],
            ['EndMarked', 'No'],
            ['EndMarkedAny', 'No'],
            ['Waiting', 'No'],
            ['Muted', m.muted ? 'Yes' : 'No'],
            ['Talking', 'No'],
            ['AnsweredTime', String(Math.floor((now - m.joinedAt) / 1000))],
            ...channelPairs(ch),
          ],
        });
      }
      return list(a, 'Confbridge user list will follow', items, 'ConfbridgeListComplete');
    },
  },
};
