// Translations: loads the console's catalogue (resources/translations, compiled into :/i18n) and
// Qt's own for a locale, and lays the UI out right to left when that language reads so.
#pragma once

#include <QLocale>

class QCoreApplication;

// Replaces whatever an earlier call installed. A language without a catalogue gets the English one
// (it carries the plural forms: "1 reply not sent", "2 replies not sent") and a left-to-right layout.
void installTranslations(QCoreApplication &app, const QLocale &locale = QLocale::system());

// The language of the catalogue installed last ("de", "ar", "en"); empty before the first call.
QString installedTranslationLanguage();
