"""Microsoft Teams as a full bot, on Microsoft's Teams SDK for Python (``microsoft-teams-apps``).

The same conversation core as Slack and the console: every handler translates
an activity (a message, a file, an ``Action.Execute`` press, a file-consent
answer) into a neutral request, calls :class:`bot.core.Core` in a worker
thread, and turns the outcome back into Adaptive Cards
(:mod:`bot.render.adaptive`). The transport never touches the store itself.

* :mod:`.app` builds the SDK ``App`` (``/api/messages``, Bot Framework JWT auth)
  and owns the event loop every connector call runs on.
* :mod:`.turns` is what a person did: message, file, card action, consent.
* :mod:`.send` is where answers go: the same chat, the person's 1:1 chat, the
  secretariat's channel, a card updated in place.
* :mod:`.files` downloads a ``file.download.info`` attachment, only from the
  configured hosts; :mod:`.consent` holds outgoing files until the person accepts.
* :mod:`.transport` is the scheduler's proactive delivery to Teams.
"""
