// The parts of the dashboard's pages shared by the run report and the assessment report: sections,
// figures and the page itself (the inline style, the contents, a strict Content-Security-Policy).
#pragma once

#include <string>
#include <vector>

namespace peacesim::report {

// A panel: <section id> with its heading (escaped), an introduction (HTML) and its content (HTML).
std::string section(const std::string& id, const std::string& title, const std::string& intro,
                    const std::string& content);

std::string figure(const std::string& svg, const std::string& cls = "");

// One panel of a page: left out, with its contents entry, when `html` is empty.
struct Part {
  std::string id, title, html;
};

// A whole page: `title` (escaped) for the browser, `header` and `footer` as HTML, the parts in order.
std::string page(const std::string& title, const std::string& header, const std::vector<Part>& parts,
                 const std::string& footer);

}  // namespace peacesim::report
