#include "serverlog.h"

Q_LOGGING_CATEGORY(lcServer, "agentconsole.server", QtInfoMsg)

namespace {

QLoggingCategory::CategoryFilter previousCategoryFilter = nullptr;

void filterHttpServerDebug(QLoggingCategory *category)
{
    if (previousCategoryFilter)
        previousCategoryFilter(category);
    if (qstrncmp(category->categoryName(), "qt.httpserver", 13) == 0)
        category->setEnabled(QtDebugMsg, false);
}

} // namespace

void keepQtHttpServerDebugOff()
{
    static const bool installed = [] {
        previousCategoryFilter = QLoggingCategory::installFilter(filterHttpServerDebug);
        return true;
    }();
    Q_UNUSED(installed);
}
