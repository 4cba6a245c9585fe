<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>Baozhi Reader {version}

Read, search and export plain-text Chinese newspaper pages offline.</source>
        <translation>报纸阅读器 {version}

离线阅读、搜索和导出纯文本中文报纸版面。</translation>
    </message>
    <message>
        <source>About Baozhi Reader</source>
        <translation>关于报纸阅读器</translation>
    </message>
</context>
<context>
    <name>ArticleDelegate</name>
    <message>
        <source>Related</source>
        <translation>相关</translation>
    </message>
</context>
<context>
    <name>ArticlePanel</name>
    <message>
        <source>Search (Ctrl+F)</source>
        <translation>搜索（Ctrl+F）</translation>
    </message>
    <message>
        <source>Search the open articles: 扬尘 治理 (both), &quot;食品安全&quot; (a phrase), 扬尘 OR 污染, -广告 (without), title:江海. Enter or F3 goes to the next match, Esc shows every article again.</source>
        <translation>搜索已打开的文章：扬尘 治理（同时包含）、&quot;食品安全&quot;（整个短语）、扬尘 OR 污染（任一）、-广告（不含）、title:江海（标题）。回车或 F3 跳到下一处，Esc 重新显示全部文章。</translation>
    </message>
    <message>
        <source>Page order</source>
        <translation>版面顺序</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Sort the articles</source>
        <translation>文章排序</translation>
    </message>
    <message>
        <source>Articles</source>
        <translation>文章</translation>
    </message>
</context>
<context>
    <name>ConcordanceModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>Spelling</source>
        <translation>写法</translation>
    </message>
    <message>
        <source>undated</source>
        <translation>无日期</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>（无标题）</translation>
    </message>
    <message>
        <source>The article gives no date</source>
        <translation>该文章没有日期</translation>
    </message>
</context>
<context>
    <name>Corrections</name>
    <message>
        <source>&amp;Merge with Previous Article</source>
        <translation>合并到上一篇(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Split Here</source>
        <translation>从此处拆分(&amp;S)</translation>
    </message>
    <message>
        <source>Make &amp;Title</source>
        <translation>设为标题(&amp;T)</translation>
    </message>
    <message>
        <source>Make &amp;Kicker</source>
        <translation>设为引题(&amp;K)</translation>
    </message>
    <message>
        <source>Make S&amp;ubtitle</source>
        <translation>设为副题(&amp;U)</translation>
    </message>
    <message>
        <source>Make &amp;Byline</source>
        <translation>设为署名(&amp;B)</translation>
    </message>
    <message>
        <source>Make B&amp;ody Text</source>
        <translation>设为正文(&amp;O)</translation>
    </message>
    <message>
        <source>Merged “{title}” with the previous article</source>
        <translation>已将“{title}”合并到上一篇</translation>
    </message>
    <message>
        <source>Split into two articles at “{text}”</source>
        <translation>已在“{text}”处拆分为两篇</translation>
    </message>
    <message>
        <source>“{text}” is now the title</source>
        <translation>“{text}”已设为标题</translation>
    </message>
    <message>
        <source>“{text}” is now the kicker</source>
        <translation>“{text}”已设为引题</translation>
    </message>
    <message>
        <source>“{text}” is now the subtitle</source>
        <translation>“{text}”已设为副题</translation>
    </message>
    <message>
        <source>“{text}” is now a byline</source>
        <translation>“{text}”已设为署名</translation>
    </message>
    <message>
        <source>“{text}” is now body text</source>
        <translation>“{text}”已设为正文</translation>
    </message>
    <message>
        <source>Undone: {what}</source>
        <translation>已撤销：{what}</translation>
    </message>
    <message>
        <source>&amp;Article</source>
        <translation>文章(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Clear the Corrections of This Page</source>
        <translation>清除本页的更正(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Why Was the Page Split So?…</source>
        <translation>查看拆分依据(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Undo {what}</source>
        <translation>撤销“{what}”(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo {what}</source>
        <translation>重做“{what}”(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>The page is shown as the splitter made it again</source>
        <translation>此页已恢复为自动拆分的样子</translation>
    </message>
    <message>
        <source>The correction cannot be kept</source>
        <translation>无法保存更正</translation>
    </message>
    <message>
        <source>{folder}: {reason}</source>
        <translation>{folder}：{reason}</translation>
    </message>
    <message>
        <source>Splitting the page again…</source>
        <translation>正在重新拆分此页…</translation>
    </message>
    <message>
        <source>The page cannot be split again</source>
        <translation>无法重新拆分此页</translation>
    </message>
    <message>
        <source>{file}: your corrections could not be read and were set aside; the page is shown as split</source>
        <translation>{file}：更正文件无法读取，已另存；此页按自动拆分显示</translation>
    </message>
    <message>
        <source>{file}: one of your corrections no longer fits the page and was skipped</source>
        <translation>{file}：有 1 处更正与此页不再相符，已跳过</translation>
    </message>
    <message>
        <source>{file}: {n} of your corrections no longer fit the page and were skipped</source>
        <translation>{file}：有 {n} 处更正与此页不再相符，已跳过</translation>
    </message>
    <message>
        <source>Corrections to {n} files no longer fit their pages and were skipped</source>
        <translation>{n} 个文件中的部分更正与页面不再相符，已跳过</translation>
    </message>
</context>
<context>
    <name>DossierView</name>
    <message>
        <source>Dossier</source>
        <translation>档案</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the articles naming it, or its mentions as a table</source>
        <translation>保存提到它的文章，或把它的提及保存为表格</translation>
    </message>
    <message>
        <source>Export the dossier</source>
        <translation>导出档案</translation>
    </message>
    <message>
        <source>&amp;Sentences naming it, by date</source>
        <translation>提到它的句子，按日期(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Sentences naming it in {range}: {shown} of {total}</source>
        <translation>{range} 提到它的句子：{total} 句中的 {shown} 句(&amp;S)</translation>
    </message>
    <message>
        <source>Names &amp;beside it</source>
        <translation>同现的名称(&amp;B)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Articles</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>Names most often beside it</source>
        <translation>最常与它同现的名称</translation>
    </message>
    <message>
        <source>Enter opens that name&apos;s dossier</source>
        <translation>按回车打开该名称的档案</translation>
    </message>
    <message>
        <source>Concordance</source>
        <translation>语境索引</translation>
    </message>
    <message>
        <source>Every sentence that names it, by date; Enter opens the article</source>
        <translation>按日期列出提到它的每个句子；按回车打开文章</translation>
    </message>
    <message>
        <source>Mentions over time</source>
        <translation>提及的时间分布</translation>
    </message>
    <message>
        <source>No name chosen</source>
        <translation>未选择名称</translation>
    </message>
    <message>
        <source>1 article</source>
        <translation>1 篇文章</translation>
    </message>
    <message>
        <source>{n} articles</source>
        <translation>{n} 篇文章</translation>
    </message>
    <message>
        <source>1 mention</source>
        <translation>1 处提及</translation>
    </message>
    <message>
        <source>{n} mentions</source>
        <translation>{n} 处提及</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{spelling} ({n})</source>
        <translation>{spelling}（{n}）</translation>
    </message>
    <message>
        <source>Spellings: {spellings}</source>
        <translation>写法：{spellings}</translation>
    </message>
    <message>
        <source>{name} ({type}): named with it in {n} articles</source>
        <translation>{name}（{type}）：与它同见于 {n} 篇文章</translation>
    </message>
    <message>
        <source>PDF Document…</source>
        <translation>PDF 文档…</translation>
    </message>
    <message>
        <source>Markdown Text…</source>
        <translation>Markdown 文本…</translation>
    </message>
    <message>
        <source>Web Page (HTML)…</source>
        <translation>网页（HTML）…</translation>
    </message>
    <message>
        <source>Word Document (DOCX)…</source>
        <translation>Word 文档（DOCX）…</translation>
    </message>
    <message>
        <source>Mentions as a CSV Table…</source>
        <translation>提及列表（CSV 表格）…</translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation>PDF 文档</translation>
    </message>
    <message>
        <source>Markdown text</source>
        <translation>Markdown 文本</translation>
    </message>
    <message>
        <source>Web page</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>Word document</source>
        <translation>Word 文档</translation>
    </message>
    <message>
        <source>CSV table</source>
        <translation>CSV 表格</translation>
    </message>
    <message>
        <source>Export the Dossier of {name}</source>
        <translation>导出“{name}”的档案</translation>
    </message>
</context>
<context>
    <name>EntityBrowser</name>
    <message>
        <source>1 article mentions {name} ({type}) · Esc shows all</source>
        <translation>1 篇文章提到 {name}（{type}）· 按 Esc 显示全部</translation>
    </message>
    <message>
        <source>{n} articles mention {name} ({type}) · Esc shows all</source>
        <translation>{n} 篇文章提到{name}（{type}）· 按 Esc 显示全部</translation>
    </message>
</context>
<context>
    <name>EntityDock</name>
    <message>
        <source>Entities</source>
        <translation>实体</translation>
    </message>
    <message>
        <source>&amp;Entities Panel</source>
        <translation>实体面板(&amp;E)</translation>
    </message>
</context>
<context>
    <name>EntityLegend</name>
    <message>
        <source>Entities:</source>
        <translation>实体：</translation>
    </message>
    <message>
        <source>Entity highlights in this article; untick a type to hide it</source>
        <translation>本文中的实体标记；取消勾选某一类即可隐藏</translation>
    </message>
    <message>
        <source>{name} {count}</source>
        <translation>{name} {count} 处</translation>
    </message>
</context>
<context>
    <name>EntityMarks</name>
    <message>
        <source>Person</source>
        <translation>人名</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>地名</translation>
    </message>
    <message>
        <source>Organisation</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
</context>
<context>
    <name>EntityPanel</name>
    <message>
        <source>List Its Articles</source>
        <translation>列出提到它的文章</translation>
    </message>
    <message>
        <source>Dossier of {name}…</source>
        <translation>{name}的档案…</translation>
    </message>
    <message>
        <source>This Article</source>
        <translation>本文</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>全部文章</translation>
    </message>
    <message>
        <source>The names in the article being read</source>
        <translation>正在阅读的文章中的实体</translation>
    </message>
    <message>
        <source>The names in every open article; click one to list the articles mentioning it</source>
        <translation>所有已打开文章中的实体；点击一项即可列出提到它的文章</translation>
    </message>
    <message>
        <source>Show All Articles</source>
        <translation>显示全部文章</translation>
    </message>
    <message>
        <source>List every article again (Esc)</source>
        <translation>重新列出全部文章（Esc）</translation>
    </message>
    <message>
        <source>Click a name to list the articles mentioning it.</source>
        <translation>点击一项即可列出提到它的文章。</translation>
    </message>
    <message>
        <source>Articles that mention {name} ({type}): {n}</source>
        <translation>提到{name}（{type}）的文章：{n} 篇</translation>
    </message>
</context>
<context>
    <name>EntityTreeModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Mentions</source>
        <translation>次数</translation>
    </message>
</context>
<context>
    <name>ExplainView</name>
    <message>
        <source>headline</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>kicker</source>
        <translation>引题</translation>
    </message>
    <message>
        <source>subtitle</source>
        <translation>副题</translation>
    </message>
    <message>
        <source>byline</source>
        <translation>署名</translation>
    </message>
    <message>
        <source>dateline</source>
        <translation>电头</translation>
    </message>
    <message>
        <source>subhead</source>
        <translation>小标题</translation>
    </message>
    <message>
        <source>caption</source>
        <translation>图片说明</translation>
    </message>
    <message>
        <source>body</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>related marker</source>
        <translation>相关新闻标记</translation>
    </message>
    <message>
        <source>page header</source>
        <translation>版头</translation>
    </message>
    <message>
        <source>separator</source>
        <translation>分隔线</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Article</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>How {file} Was Split</source>
        <translation>{file} 的拆分依据</translation>
    </message>
    <message>
        <source>Each line of the page with the role the splitter gave it, and why.</source>
        <translation>本页每一行被认作什么，以及依据。</translation>
    </message>
    <message>
        <source>Your correction of this page is applied after it.</source>
        <translation>您对本页的 1 处更正在此之后生效。</translation>
    </message>
    <message>
        <source>Your {n} corrections of this page are applied after it.</source>
        <translation>您对本页的 {n} 处更正在此之后生效。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>PDF document</source>
        <translation>PDF 文档</translation>
    </message>
    <message>
        <source>Web page</source>
        <translation>网页</translation>
    </message>
    <message>
        <source>Markdown text</source>
        <translation>Markdown 文本</translation>
    </message>
    <message>
        <source>Plain text</source>
        <translation>纯文本</translation>
    </message>
    <message>
        <source>JSON data</source>
        <translation>JSON 数据</translation>
    </message>
    <message>
        <source>Word document</source>
        <translation>Word 文档</translation>
    </message>
    <message>
        <source>EPUB e-book</source>
        <translation>EPUB 电子书</translation>
    </message>
    <message>
        <source>No articles are selected, so the current article will be exported:
{title}</source>
        <translation>没有选中文章，因此将导出当前文章：
{title}</translation>
    </message>
    <message>
        <source>Export the selected article:
{title}</source>
        <translation>导出选中的文章：
{title}</translation>
    </message>
    <message>
        <source>Export the {n} selected articles.</source>
        <translation>导出选中的 {n} 篇文章。</translation>
    </message>
    <message>
        <source>Export Articles</source>
        <translation>导出文章</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>格式(&amp;F)：</translation>
    </message>
    <message>
        <source>Files:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>One &amp;combined file</source>
        <translation>合并为一个文件(&amp;C)</translation>
    </message>
    <message>
        <source>One file &amp;per article, in a folder</source>
        <translation>每篇文章一个文件，存入文件夹(&amp;P)</translation>
    </message>
    <message>
        <source>Include:</source>
        <translation>包含：</translation>
    </message>
    <message>
        <source>&amp;Metadata header (subtitle, authors, date, source)</source>
        <translation>文章信息(&amp;M)（副标题、作者、日期、来源）</translation>
    </message>
    <message>
        <source>The title is always included; this adds the lines under it</source>
        <translation>标题总会导出；勾选后再加上标题下的几行信息</translation>
    </message>
    <message>
        <source>&amp;Highlight names of people, places and organisations</source>
        <translation>突出显示人名、地名和机构名(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>浏览(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>Colours the names found in the text</source>
        <translation>用底色标出文中识别出的名称</translation>
    </message>
    <message>
        <source>{format} cannot show highlights</source>
        <translation>{format}无法显示突出标记</translation>
    </message>
    <message>
        <source>F&amp;older:</source>
        <translation>文件夹(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Save as:</source>
        <translation>保存为(&amp;S)：</translation>
    </message>
    <message>
        <source>Export into Folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>Export to File</source>
        <translation>导出到文件</translation>
    </message>
</context>
<context>
    <name>ExportRun</name>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <source>Exporting 1 article…</source>
        <translation>正在导出 1 篇文章…</translation>
    </message>
    <message>
        <source>Exporting {n} articles…</source>
        <translation>正在导出 {n} 篇文章…</translation>
    </message>
    <message>
        <source>Writing article {done} of {total}…</source>
        <translation>正在写入第 {done} 篇，共 {total} 篇…</translation>
    </message>
    <message>
        <source>Some of these files already exist in {folder}, for example “{name}”.

Do you want to replace them?</source>
        <translation>{folder} 中已有其中一些文件，例如“{name}”。

要替换它们吗？</translation>
    </message>
    <message>
        <source>{path} already exists.

Do you want to replace it?</source>
        <translation>{path} 已存在。

要替换它吗？</translation>
    </message>
    <message>
        <source>Replace Existing Files?</source>
        <translation>替换已有文件？</translation>
    </message>
    <message>
        <source>Nothing was exported; the existing files are unchanged.</source>
        <translation>没有导出任何内容；已有文件保持不变。</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <source>Exported {n} files to {folder}</source>
        <translation>已导出 {n} 个文件到 {folder}</translation>
    </message>
    <message>
        <source>Export Finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <source>Open the folder that holds the export?</source>
        <translation>要打开导出文件所在的文件夹吗？</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Export cancelled; no file was written.</source>
        <translation>导出已取消；没有写入任何文件。</translation>
    </message>
</context>
<context>
    <name>FontNotice</name>
    <message>
        <source>No installed font covers Chinese, so the text may show as empty boxes. Install a Chinese font, for example with &apos;sudo apt install fonts-noto-cjk&apos; (Debian, Ubuntu) or by installing Noto Sans CJK SC, then restart Baozhi Reader.</source>
        <translation>没有安装支持中文的字体，文字可能显示为空白方框。请安装一种中文字体，例如运行“sudo apt install fonts-noto-cjk”（Debian、Ubuntu），或安装思源黑体（Noto Sans CJK SC），然后重新启动报纸阅读器。</translation>
    </message>
</context>
<context>
    <name>HitBar</name>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>上一处（Shift+F3）</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>下一处（F3）</translation>
    </message>
    <message>
        <source>Match {current}/{total} in this article</source>
        <translation>本文第 {current}/{total} 处</translation>
    </message>
    <message>
        <source>No matches in this article</source>
        <translation>本文中没有匹配</translation>
    </message>
</context>
<context>
    <name>IndexProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop indexing; searching goes on through the open articles</source>
        <translation>停止建立索引；搜索改为直接查找已打开的文章</translation>
    </message>
    <message>
        <source>Indexing {done} of {total} articles…</source>
        <translation>正在建立索引：{done}/{total} 篇文章…</translation>
    </message>
    <message>
        <source>Indexing…</source>
        <translation>正在建立索引…</translation>
    </message>
    <message>
        <source>Finding names in {done} of {total} articles…</source>
        <translation>正在识别人名、地名和机构名：{done}/{total} 篇文章…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>查看(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Sort By</source>
        <translation>排序方式(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Open Files…</source>
        <translation>打开文件(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Re&amp;load</source>
        <translation>重新载入(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Watch Folder…</source>
        <translation>监视文件夹(&amp;W)…</translation>
    </message>
    <message>
        <source>Watch &amp;Subfolders Too</source>
        <translation>同时监视子文件夹(&amp;S)</translation>
    </message>
    <message>
        <source>Stop Watc&amp;hing</source>
        <translation>停止监视(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Print Article…</source>
        <translation>打印文章(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Export Selected…</source>
        <translation>导出所选文章(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>Find &amp;Next</source>
        <translation>查找下一处(&amp;N)</translation>
    </message>
    <message>
        <source>Find &amp;Previous</source>
        <translation>查找上一处(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;All Results</source>
        <translation>全选搜索结果(&amp;A)</translation>
    </message>
    <message>
        <source>Sa&amp;ve This Search…</source>
        <translation>保存此搜索(&amp;V)…</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Baozhi Reader</source>
        <translation>关于报纸阅读器(&amp;A)</translation>
    </message>
    <message>
        <source>Open &amp;Log File</source>
        <translation>打开日志文件(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Page Order</source>
        <translation>版面顺序(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Date</source>
        <translation>日期(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>标题(&amp;T)</translation>
    </message>
    <message>
        <source>Follow &amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
    <message>
        <source>Open Newspaper Pages</source>
        <translation>打开报纸版面</translation>
    </message>
    <message>
        <source>Text files ({patterns});;All files (*)</source>
        <translation>文本文件 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a Folder of Pages</source>
        <translation>打开版面文件夹</translation>
    </message>
    <message>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <source>Opening {done} of {total}…</source>
        <translation>正在打开第 {done} 个，共 {total} 个…</translation>
    </message>
    <message>
        <source>Cannot open a file</source>
        <translation>无法打开文件</translation>
    </message>
    <message>
        <source>Cannot open some files</source>
        <translation>有些文件无法打开</translation>
    </message>
    <message>
        <source>{file}: {reason}</source>
        <translation>{file}：{reason}</translation>
    </message>
    <message>
        <source>The other files are open.</source>
        <translation>其他文件已正常打开。</translation>
    </message>
    <message>
        <source>Opening failed</source>
        <translation>打开失败</translation>
    </message>
    <message>
        <source>Locate {name}</source>
        <translation>查找 {name}</translation>
    </message>
    <message>
        <source>Settings could not be read</source>
        <translation>无法读取设置</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>没有最近打开的文件</translation>
    </message>
    <message>
        <source>The search index could not be read; it is rebuilt when the sources are next opened.</source>
        <translation>无法读取搜索索引；下次打开来源时会重建。</translation>
    </message>
    <message>
        <source>{ms} ms</source>
        <translation>{ms} 毫秒</translation>
    </message>
    <message>
        <source>No articles found</source>
        <translation>没有找到文章</translation>
    </message>
    <message>
        <source>1 article by pinyin</source>
        <translation>按拼音找到 1 篇文章</translation>
    </message>
    <message>
        <source>{n} articles by pinyin</source>
        <translation>按拼音找到 {n} 篇文章</translation>
    </message>
    <message>
        <source>Showing {shown} of {total} articles</source>
        <translation>显示 {total} 篇中的 {shown} 篇</translation>
    </message>
    <message>
        <source>Search failed</source>
        <translation>搜索失败</translation>
    </message>
    <message>
        <source>1 result selected; Export Selected… (Ctrl+E) exports it</source>
        <translation>已选中 1 个结果；“导出所选…”（Ctrl+E）可导出它</translation>
    </message>
    <message>
        <source>{n} results selected; Export Selected… (Ctrl+E) exports them</source>
        <translation>已选中 {n} 条结果；用“导出所选…”（Ctrl+E）导出</translation>
    </message>
    <message>
        <source>Indexing cancelled; searching goes on through the open articles.</source>
        <translation>已取消建立索引；搜索改为直接查找已打开的文章。</translation>
    </message>
    <message>
        <source>Another Baozhi Reader is updating the search index; searching the open articles directly.</source>
        <translation>另一个报纸阅读器正在更新搜索索引；搜索改为直接查找已打开的文章。</translation>
    </message>
    <message>
        <source>The search index was damaged or unusable and has been rebuilt.</source>
        <translation>搜索索引已损坏或无法使用，已重新建立。</translation>
    </message>
    <message>
        <source>Indexing failed ({error}); searching the open articles directly.</source>
        <translation>建立索引失败（{error}）；搜索改为直接查找已打开的文章。</translation>
    </message>
    <message>
        <source>Zoom {percent}%</source>
        <translation>缩放 {percent}%</translation>
    </message>
    <message>
        <source>There is no article to export.</source>
        <translation>没有可导出的文章。</translation>
    </message>
    <message>
        <source>Cannot open the log file</source>
        <translation>无法打开日志文件</translation>
    </message>
    <message>
        <source>1 article</source>
        <translation>1 篇文章</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>时间线(&amp;T)</translation>
    </message>
    <message>
        <source>{n} articles</source>
        <translation>{n} 篇文章</translation>
    </message>
    <message>
        <source>1 source</source>
        <translation>1 个来源</translation>
    </message>
    <message>
        <source>{n} sources</source>
        <translation>{n} 个来源</translation>
    </message>
    <message>
        <source>{articles} from {sources}</source>
        <translation>{articles}，来自 {sources}</translation>
    </message>
    <message>
        <source>Watch a Folder of Pages</source>
        <translation>选择要监视的版面文件夹</translation>
    </message>
    <message>
        <source>Watching {folder} for new pages</source>
        <translation>正在监视 {folder} 中的新版面</translation>
    </message>
    <message>
        <source>Stopped watching the folder</source>
        <translation>已停止监视文件夹</translation>
    </message>
    <message>
        <source>A watched file was removed; its article left the list</source>
        <translation>一个受监视的文件已删除，其文章已移出列表</translation>
    </message>
    <message>
        <source>{n} watched files were removed; their articles left the list</source>
        <translation>{n} 个受监视的文件已删除，其文章已移出列表</translation>
    </message>
    <message>
        <source>1 new article</source>
        <translation>1 篇新文章</translation>
    </message>
    <message>
        <source>{n} new articles</source>
        <translation>{n} 篇新文章</translation>
    </message>
</context>
<context>
    <name>Marks</name>
    <message>
        <source>Your marks could not be opened ({error}); marks made now are not kept.</source>
        <translation>无法打开您的标记（{error}）；现在所做的标记不会保存。</translation>
    </message>
    <message>
        <source>&amp;Tags…</source>
        <translation>标签(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Note…</source>
        <translation>笔记(&amp;N)…</translation>
    </message>
    <message>
        <source>&amp;Highlight the Selected Passage…</source>
        <translation>高亮所选段落(&amp;H)…</translation>
    </message>
    <message>
        <source>Remove the &amp;Star</source>
        <translation>取消星标(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Star</source>
        <translation>加星标(&amp;S)</translation>
    </message>
    <message>
        <source>Mark as &amp;Unread</source>
        <translation>标为未读(&amp;U)</translation>
    </message>
    <message>
        <source>Mark as &amp;Read</source>
        <translation>标为已读(&amp;R)</translation>
    </message>
    <message>
        <source>Your marks could not be read ({error}).</source>
        <translation>无法读取您的标记（{error}）。</translation>
    </message>
    <message>
        <source>1 marked article is no longer in the library; its marks are kept</source>
        <translation>1 篇有标记的文章已不在文库中，其标记仍保留</translation>
    </message>
    <message>
        <source>{n} marked articles are no longer in the library; their marks are kept</source>
        <translation>{n} 篇有标记的文章已不在文库中，其标记仍保留</translation>
    </message>
    <message>
        <source>Mark as Read</source>
        <translation>标为已读</translation>
    </message>
    <message>
        <source>Cannot change the marks</source>
        <translation>无法更改标记</translation>
    </message>
    <message>
        <source>Star</source>
        <translation>加星标</translation>
    </message>
    <message>
        <source>Remove the Star</source>
        <translation>取消星标</translation>
    </message>
    <message>
        <source>Mark as Unread</source>
        <translation>标为未读</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>笔记</translation>
    </message>
    <message>
        <source>Select a passage of the article first, then highlight it (H).</source>
        <translation>请先选中文章中的一段文字，再高亮（H）。</translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation>高亮</translation>
    </message>
    <message>
        <source>Highlight Note</source>
        <translation>高亮笔记</translation>
    </message>
    <message>
        <source>Remove Highlight</source>
        <translation>删除高亮</translation>
    </message>
    <message>
        <source>Highlight the Selected Passage…</source>
        <translation>高亮所选段落…</translation>
    </message>
    <message>
        <source>Edit the Highlight&apos;s Note…</source>
        <translation>编辑高亮笔记…</translation>
    </message>
    <message>
        <source>Remove the Highlight</source>
        <translation>删除高亮</translation>
    </message>
</context>
<context>
    <name>MarksBar</name>
    <message>
        <source>Star (S)</source>
        <translation>星标（S）</translation>
    </message>
    <message>
        <source>Tags…</source>
        <translation>标签…</translation>
    </message>
    <message>
        <source>Tag the article (T)</source>
        <translation>为文章加标签（T）</translation>
    </message>
    <message>
        <source>Write a note on the article (N)</source>
        <translation>为文章写笔记（N）</translation>
    </message>
    <message>
        <source>Mark as read or unread (U)</source>
        <translation>标为已读或未读（U）</translation>
    </message>
    <message>
        <source>Edit Note…</source>
        <translation>编辑笔记…</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>笔记…</translation>
    </message>
    <message>
        <source>Mark as Unread</source>
        <translation>标为未读</translation>
    </message>
    <message>
        <source>Mark as Read</source>
        <translation>标为已读</translation>
    </message>
    <message>
        <source>A highlighted passage is no longer in this article: {passages}</source>
        <translation>一处高亮段落已不在本文中：{passages}</translation>
    </message>
    <message>
        <source>{n} highlighted passages are no longer in this article: {passages}</source>
        <translation>{n} 处高亮段落已不在本文中：{passages}</translation>
    </message>
</context>
<context>
    <name>MarksDialogs</name>
    <message>
        <source>Tags</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Tags of “{title}”, separated by commas:</source>
        <translation>“{title}”的标签，用逗号分隔：</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>笔记</translation>
    </message>
    <message>
        <source>Note on “{title}” (**bold**, *italic*, - lists):</source>
        <translation>“{title}”的笔记（**粗体**、*斜体*、- 列表）：</translation>
    </message>
</context>
<context>
    <name>MissingSourcesBar</name>
    <message>
        <source>Locate…</source>
        <translation>查找文件…</translation>
    </message>
    <message>
        <source>Remove from Library</source>
        <translation>从文库中移除</translation>
    </message>
    <message>
        <source>Remove All Missing</source>
        <translation>移除所有缺失文件</translation>
    </message>
    <message>
        <source>A file of your library is missing: {name}
{path}</source>
        <translation>文库中的一个文件找不到了：{name}
{path}</translation>
    </message>
    <message>
        <source>{n} files of your library are missing. First: {name}
{path}</source>
        <translation>文库中有 {n} 个文件找不到了。第一个：{name}
{path}</translation>
    </message>
</context>
<context>
    <name>NetworkCanvas</name>
    <message>
        <source>Network of names</source>
        <translation>名称关系网络</translation>
    </message>
    <message>
        <source>1 article</source>
        <translation>1 篇文章</translation>
    </message>
    <message>
        <source>{n} articles</source>
        <translation>{n} 篇文章</translation>
    </message>
    <message>
        <source>1 mention</source>
        <translation>1 处提及</translation>
    </message>
    <message>
        <source>{n} mentions</source>
        <translation>{n} 处提及</translation>
    </message>
    <message>
        <source>{name} ({type}) — {articles}, {mentions}</source>
        <translation>{name}（{type}）— {articles}，{mentions}</translation>
    </message>
    <message>
        <source>{a} — {b}: 1 article names both</source>
        <translation>{a} — {b}：1 篇文章同时提到二者</translation>
    </message>
    <message>
        <source>{a} — {b}: {n} articles name both</source>
        <translation>{a} — {b}：{n} 篇文章同时提到二者</translation>
    </message>
    <message>
        <source>No people, places or organisations to show</source>
        <translation>没有可显示的人名、地名或机构</translation>
    </message>
    <message>
        <source>Could not write {path}</source>
        <translation>无法写入 {path}</translation>
    </message>
    <message>
        <source>Who appears with whom</source>
        <translation>谁与谁同时出现</translation>
    </message>
    <message>
        <source>People, places and organisations named in the same articles</source>
        <translation>在同一篇文章中出现的人名、地名和机构</translation>
    </message>
    <message>
        <source>Dossier of {name}…</source>
        <translation>{name}的档案…</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>另存为 SVG…</translation>
    </message>
    <message>
        <source>Save the Picture as PNG</source>
        <translation>将图片保存为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Save the Picture as SVG</source>
        <translation>将图片保存为 SVG</translation>
    </message>
    <message>
        <source>SVG images (*.svg)</source>
        <translation>SVG 图片 (*.svg)</translation>
    </message>
    <message>
        <source>Could not save the picture</source>
        <translation>无法保存图片</translation>
    </message>
    <message>
        <source>Tab and the arrow keys move through the names; Enter lists a name&apos;s articles</source>
        <translation>用 Tab 键和方向键在名称之间移动；按 Enter 列出该名称的文章</translation>
    </message>
</context>
<context>
    <name>NetworkPairModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Named with</source>
        <translation>同时出现的名称</translation>
    </message>
    <message>
        <source>Articles naming both</source>
        <translation>同时提到二者的文章</translation>
    </message>
</context>
<context>
    <name>NetworkView</name>
    <message>
        <source>&amp;Names:</source>
        <translation>名称数(&amp;N)：</translation>
    </message>
    <message>
        <source>How many of the most-named people, places and organisations to show</source>
        <translation>显示被提到最多的多少个人名、地名和机构</translation>
    </message>
    <message>
        <source>Number of names</source>
        <translation>名称数量</translation>
    </message>
    <message>
        <source>&amp;From:</source>
        <translation>范围(&amp;F)：</translation>
    </message>
    <message>
        <source>Whole library</source>
        <translation>整个文库</translation>
    </message>
    <message>
        <source>Current list</source>
        <translation>当前列表</translation>
    </message>
    <message>
        <source>Names from</source>
        <translation>名称的范围</translation>
    </message>
    <message>
        <source>&amp;Picture</source>
        <translation>关系图(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Table</source>
        <translation>表格(&amp;T)</translation>
    </message>
    <message>
        <source>Pairs of names and the articles naming both</source>
        <translation>名称对及同时提到二者的文章数</translation>
    </message>
    <message>
        <source>Click a name for its articles, a line for the articles naming both. Right-click to save the picture.</source>
        <translation>点击名称列出提到它的文章，点击连线列出同时提到二者的文章。右键单击可保存图片。</translation>
    </message>
    <message>
        <source>1 name</source>
        <translation>1 个名称</translation>
    </message>
    <message>
        <source>{n} names</source>
        <translation>{n} 个名称</translation>
    </message>
    <message>
        <source>1 pair</source>
        <translation>1 对</translation>
    </message>
    <message>
        <source>{n} pairs</source>
        <translation>{n} 对</translation>
    </message>
    <message>
        <source>{names}, {pairs} (the picture draws the {drawn} strongest)</source>
        <translation>{names}，{pairs}（图中只画出最强的 {drawn} 对）</translation>
    </message>
    <message>
        <source>{names}, {pairs}</source>
        <translation>{names}，{pairs}</translation>
    </message>
</context>
<context>
    <name>ReaderView</name>
    <message>
        <source>Page {page}</source>
        <translation>第{page}版</translation>
    </message>
    <message>
        <source>{year}-{mm}-{dd}</source>
        <translation>{year}年{month}月{day}日</translation>
    </message>
    <message>
        <source>No article open. Use File → Open (Ctrl+O) or drop text files here.</source>
        <translation>尚未打开文章。请使用“文件 → 打开”（Ctrl+O），或把文本文件拖到这里。</translation>
    </message>
    <message>
        <source>Related news, belonging to: </source>
        <translation>相关新闻，所属文章：</translation>
    </message>
    <message>
        <source>Related news</source>
        <translation>相关新闻</translation>
    </message>
    <message>
        <source>Dossier of {name}…</source>
        <translation>{name}的档案…</translation>
    </message>
</context>
<context>
    <name>SavedSearchPanel</name>
    <message>
        <source>Saved searches</source>
        <translation>已保存的搜索</translation>
    </message>
    <message>
        <source>Save the current search</source>
        <translation>保存当前搜索</translation>
    </message>
    <message>
        <source>Rename the saved search</source>
        <translation>重命名已保存的搜索</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Delete the saved search</source>
        <translation>删除已保存的搜索</translation>
    </message>
    <message>
        <source>Click to run; drag to reorder</source>
        <translation>单击运行；拖动调整顺序</translation>
    </message>
    <message>
        <source>Type a search first; then save it here to run it again with one click.</source>
        <translation>请先输入搜索词，再在此保存，以后单击即可再次运行。</translation>
    </message>
    <message>
        <source>Save Search</source>
        <translation>保存搜索</translation>
    </message>
    <message>
        <source>Name of the saved search:</source>
        <translation>已保存搜索的名称：</translation>
    </message>
    <message>
        <source>Rename Saved Search</source>
        <translation>重命名已保存的搜索</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>The list of sources to reopen could not be read from the settings ({path}); the last sources were not reopened.</source>
        <translation>无法从设置中读取要重新打开的来源列表（{path}）；上次的来源没有重新打开。</translation>
    </message>
    <message>
        <source>The settings file could not be read ({path}); some settings may be back to their defaults.</source>
        <translation>无法读取设置文件（{path}）；部分设置可能已恢复为默认值。</translation>
    </message>
    <message>
        <source>A copy of the old file was kept as {copy}.</source>
        <translation>旧文件的副本已保存为 {copy}。</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Previous / next article</source>
        <translation>上一篇 / 下一篇</translation>
    </message>
    <message>
        <source>Page up / down in the list</source>
        <translation>列表翻页</translation>
    </message>
    <message>
        <source>First / last article</source>
        <translation>第一篇 / 最后一篇</translation>
    </message>
    <message>
        <source>Select several articles</source>
        <translation>选择多篇文章</translation>
    </message>
    <message>
        <source>Move between list and reading pane</source>
        <translation>在列表和阅读区之间切换</translation>
    </message>
    <message>
        <source>Clear the filter</source>
        <translation>清除筛选</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>SourceError</name>
    <message>
        <source>no such file</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>this is a folder, not a text file</source>
        <translation>这是一个文件夹，不是文本文件</translation>
    </message>
    <message>
        <source>this is not a regular file</source>
        <translation>这不是普通文件</translation>
    </message>
    <message>
        <source>the file is {mb} MB; newspaper pages larger than {limit} MB are not read</source>
        <translation>文件大小为 {mb} MB；超过 {limit} MB 的报纸版面不予读取</translation>
    </message>
    <message>
        <source>the file is larger than {limit} MB; newspaper pages that large are not read</source>
        <translation>文件超过 {limit} MB；这么大的报纸版面不予读取</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>没有读取权限</translation>
    </message>
    <message>
        <source>cannot be read ({error})</source>
        <translation>无法读取（{error}）</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>this looks like {kind}, not a text file</source>
        <translation>这看起来是{kind}，不是文本文件</translation>
    </message>
    <message>
        <source>this looks like a binary file, not a text file</source>
        <translation>这看起来是二进制文件，不是文本文件</translation>
    </message>
    <message>
        <source>line {line} is not UTF-8 although the text before it is (the file mixes encodings)</source>
        <translation>第 {line} 行不是 UTF-8，而它之前的文字是（文件混用了多种编码）</translation>
    </message>
    <message>
        <source>the text encoding could not be recognised (expected UTF-8, GB18030/GBK, Big5 or UTF-16)</source>
        <translation>无法识别文字编码（应为 UTF-8、GB18030/GBK、Big5 或 UTF-16）</translation>
    </message>
    <message>
        <source>the file contains bytes that are not valid {encoding} text</source>
        <translation>文件中有不符合 {encoding} 编码的字节</translation>
    </message>
    <message>
        <source>a PDF document</source>
        <translation>PDF 文档</translation>
    </message>
    <message>
        <source>a PNG image</source>
        <translation>PNG 图片</translation>
    </message>
    <message>
        <source>a JPEG image</source>
        <translation>JPEG 图片</translation>
    </message>
    <message>
        <source>a GIF image</source>
        <translation>GIF 图片</translation>
    </message>
    <message>
        <source>a ZIP archive (or a Word/EPUB file)</source>
        <translation>ZIP 压缩包（或 Word/EPUB 文件）</translation>
    </message>
    <message>
        <source>an old Microsoft Office document</source>
        <translation>旧版 Microsoft Office 文档</translation>
    </message>
    <message>
        <source>a program</source>
        <translation>程序文件</translation>
    </message>
    <message>
        <source>a Windows program</source>
        <translation>Windows 程序</translation>
    </message>
    <message>
        <source>a gzip archive</source>
        <translation>gzip 压缩包</translation>
    </message>
    <message>
        <source>a bzip2 archive</source>
        <translation>bzip2 压缩包</translation>
    </message>
    <message>
        <source>a 7-Zip archive</source>
        <translation>7-Zip 压缩包</translation>
    </message>
    <message>
        <source>a RAR archive</source>
        <translation>RAR 压缩包</translation>
    </message>
    <message>
        <source>a media file</source>
        <translation>音视频文件</translation>
    </message>
    <message>
        <source>an SQLite database</source>
        <translation>SQLite 数据库</translation>
    </message>
</context>
<context>
    <name>TimelineView</name>
    <message>
        <source>Undated</source>
        <translation>未注明日期</translation>
    </message>
    <message>
        <source>{name}: {range}</source>
        <translation>{name}：{range}</translation>
    </message>
    <message>
        <source>Could not write {path}</source>
        <translation>无法写入 {path}</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>Show all (Esc)</source>
        <translation>显示全部（Esc）</translation>
    </message>
    <message>
        <source>Without a full date: counted apart, not guessed</source>
        <translation>没有完整日期：单独计数，不作推测</translation>
    </message>
    <message>
        <source>{count} undated</source>
        <translation>未注明日期 {count}</translation>
    </message>
    <message>
        <source>No article has a full date</source>
        <translation>没有注明完整日期的文章</translation>
    </message>
    <message>
        <source>No timeline</source>
        <translation>暂无时间线</translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation>另存为 PNG…</translation>
    </message>
    <message>
        <source>Save as SVG…</source>
        <translation>另存为 SVG…</translation>
    </message>
    <message>
        <source>Save Timeline as PNG</source>
        <translation>将时间线另存为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Save Timeline as SVG</source>
        <translation>将时间线另存为 SVG</translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Left and Right move between periods, Shift extends, Up and Down pick the search, Enter chooses, Esc shows all.</source>
        <translation>左右方向键在时段间移动，Shift 扩展范围，上下方向键选择检索，Enter 选定，Esc 显示全部。</translation>
    </message>
    <message>
        <source>Articles</source>
        <translation>文章</translation>
    </message>
    <message>
        <source>{name}: {count}</source>
        <translation>{name}：{count}</translation>
    </message>
    <message>
        <source>Articles per day</source>
        <translation>每日文章数</translation>
    </message>
    <message>
        <source>Articles per week</source>
        <translation>每周文章数</translation>
    </message>
    <message>
        <source>Articles per month</source>
        <translation>每月文章数</translation>
    </message>
    <message>
        <source>Articles per year</source>
        <translation>每年文章数</translation>
    </message>
</context>
<context>
    <name>WindowInsight</name>
    <message>
        <source>Who Appears with Whom</source>
        <translation>谁与谁同现</translation>
    </message>
    <message>
        <source>&amp;Who Appears with Whom</source>
        <translation>谁与谁同现(&amp;W)</translation>
    </message>
    <message>
        <source>1 article in {range} · Esc shows all</source>
        <translation>{range}有 1 篇文章 · 按 Esc 显示全部</translation>
    </message>
    <message>
        <source>{n} articles in {range} · Esc shows all</source>
        <translation>{range}有 {n} 篇文章 · 按 Esc 显示全部</translation>
    </message>
    <message>
        <source>1 article names {a} and {b} · Esc shows all</source>
        <translation>1 篇文章同时提到 {a} 和 {b} · 按 Esc 显示全部</translation>
    </message>
    <message>
        <source>{n} articles name {a} and {b} · Esc shows all</source>
        <translation>{n} 篇文章同时提到 {a} 和 {b} · 按 Esc 显示全部</translation>
    </message>
    <message>
        <source>Dossier: {name}</source>
        <translation>档案：{name}</translation>
    </message>
    <message>
        <source>Dossier exported to {path}</source>
        <translation>档案已导出到 {path}</translation>
    </message>
    <message>
        <source>The dossier could not be exported</source>
        <translation>无法导出档案</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>Unexpected error</source>
        <translation>意外错误</translation>
    </message>
    <message>
        <source>Something went wrong: {error}
The details are in the log.</source>
        <translation>出了点问题：{error}
详细信息已写入日志。</translation>
    </message>
</context>
</TS>
