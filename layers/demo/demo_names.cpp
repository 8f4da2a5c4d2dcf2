/// @file
/// The fixed tables of the Jiaozuo demo generator: Chinese word lists, enterprise types and the
/// per-county plan, GB 18218-2018 substances, plant inventories, synthetic road corridors, and
/// the rescue teams and warehouses to place; plus the makers of names, phone numbers, unified
/// social credit codes and dates. See demo_names.hpp.
///
/// Sources: critical quantities Q and β are GB 18218-2018 Tables 1-4 as transcribed in
/// shared/data (gb18218_2018_*.csv); UN numbers are from the ERG 2024 index in shared/data
/// (erg2024_index_un_guide.csv). Every CAS number here passes its check digit (the generator
/// verifies that at run time). Everything else is invented for the demo.

#include "demo_names.hpp"
#include "demo_parts.hpp"

#include <vigil/util/error.hpp>

#include <fmt/format.h>

#include <string>

namespace vigil::demo::names {

namespace {

constexpr std::string_view k_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭",
    "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅",
    "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴",
    "夏", "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔",
    "白", "崔", "康", "毛", "邱", "秦", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "牛", "原", "申", "焦",
};

constexpr std::string_view k_given[] = {
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀",
    "霞", "平", "刚", "桂", "英", "华", "建", "国", "文", "辉", "力", "鹏", "宇", "浩", "凯", "亮", "红", "玲",
    "志", "新", "海", "峰", "林", "斌", "波", "宁", "彬", "飞", "俊", "振", "东", "晓", "春", "梅", "兰", "燕",
    "鑫", "博", "帅", "瑞", "卫", "永", "利", "松", "岩", "庆", "德", "顺", "发", "胜", "民", "昌", "怀", "中",
};

// Generic trade names; none is meant to be a real company's.
constexpr std::string_view k_trade[] = {
    "恒达", "华丰", "金源", "鑫源", "宏远", "瑞丰", "豫北", "怀川", "覃怀", "月山", "丹河", "嘉禾", "永盛", "兴隆", "昌盛", "众鑫", "博源",
    "德润", "海特", "康达", "联创", "隆泰", "明辉", "诺威", "普华", "庆丰", "荣昌", "盛达", "天顺", "万通", "伟业", "鑫达", "新宇", "亚龙",
    "益民", "远航", "正泰", "智信", "卓越", "安泰", "宝利", "东方", "丰源", "广汇", "国信", "和信", "弘毅", "华晨", "汇丰", "佳和", "金石",
    "凯瑞", "立新", "茂源", "宁远", "启明", "润丰", "圣源", "泰和", "通达", "同创", "威源", "祥和", "鑫旺", "信达", "亿丰", "银河", "永安",
    "裕丰", "振兴", "中联", "宏达", "金鹏", "华泰", "鼎盛", "富源", "恒信", "鸿运", "金叶", "久隆", "凯达", "利源", "龙腾", "美华", "南华",
    "鹏程", "奇瑞", "三和", "尚品", "盛世", "天成", "万和", "西达", "祥瑞", "新华", "旭日", "永兴", "豫丰", "远大", "兆丰", "志远", "中兴",
    "众成", "卓达", "沁园", "怀府", "山阳", "太昊", "云峰", "青龙", "双鹤", "金桥", "宏光", "晨光", "天润", "恒瑞", "嘉诚", "瑞祥", "华恒",
    "中科", "德盛", "益丰", "长兴", "万丰", "金诚", "鑫泰", "福源", "新星", "同和", "宝源",
};

constexpr std::string_view k_streets[] = {
    "人民路", "解放路", "建设路",   "民主路", "塔南路", "丰收路", "山阳路", "太行路", "中原路", "和平街",
    "工业路", "迎宾路", "世纪大道", "新园路", "友谊路", "健康路", "文昌路", "站前路", "焦东路", "焦西路",
    "兴华路", "光明路", "东环路",   "西环路", "北环路", "南环路", "团结路", "复兴路", "朝阳路", "长安路",
};

constexpr std::string_view k_park_streets[] = {
    "纬一路", "纬二路", "纬三路", "纬四路",   "纬五路", "经一路",   "经二路", "经三路",
    "经四路", "经五路", "化工路", "园区大道", "创业路", "发展大道", "兴业路", "科技路",
};

constexpr std::string_view k_village_heads[] = {
    "张", "李", "王", "赵", "刘", "陈", "杨", "东", "西", "南", "北", "前", "后", "大", "小",
    "新", "马", "郭", "徐", "崔", "韩", "范", "苏", "孟", "宋", "高", "许", "何", "吕", "姚",
};

constexpr std::string_view k_village_tails[] = {"庄", "营", "屯", "寨", "店", "堡", "楼", "岗", "窑", "集", "沟", "湾"};

constexpr std::string_view k_processes[] = {"氯化工艺", "硝化工艺", "加氢工艺", "氧化工艺", "磺化工艺", "重氮化工艺", "烷基化工艺"};

// --- enterprise types --------------------------------------------------------------------

constexpr std::string_view s_chem[] = {"化工有限公司",       "化学有限公司",     "精细化工有限公司",
                                       "新材料科技有限公司", "化工股份有限公司", "化学工业有限公司"};
constexpr std::string_view s_user[] = {"新材料有限公司", "涂料有限公司", "化工科技有限公司", "环保科技有限公司", "表面处理有限公司"};
constexpr std::string_view s_trader[] = {"化工贸易有限公司", "化工产品销售有限公司", "商贸有限公司", "能源有限公司"};
constexpr std::string_view s_petrol[] = {"石油销售有限公司"};
constexpr std::string_view s_gas[] = {"燃气有限公司", "能源科技有限公司"};
constexpr std::string_view s_fireworks[] = {"烟花爆竹批发有限公司", "烟花爆竹有限公司"};
constexpr std::string_view s_textile[] = {"纺织有限公司", "棉纺有限公司", "纺织服饰有限公司", "棉业有限公司"};
constexpr std::string_view s_paper[] = {"纸业有限公司", "造纸有限公司", "包装材料有限公司"};
constexpr std::string_view s_furniture[] = {"家具有限公司", "木业有限公司", "板业有限公司"};
constexpr std::string_view s_leather[] = {"皮革有限公司", "皮业有限公司", "裘革制品有限公司"};
constexpr std::string_view s_machinery[] = {"机械有限公司", "重工机械有限公司", "机械制造有限公司", "装备制造有限公司", "液压设备有限公司"};
constexpr std::string_view s_auto[] = {"制动器有限公司", "汽车配件有限公司", "汽车零部件有限公司", "活塞环有限公司"};
constexpr std::string_view s_grain[] = {"面业有限公司", "食品有限公司", "淀粉有限公司", "粮油有限公司", "饲料有限公司"};
constexpr std::string_view s_cold[] = {"肉制品有限公司", "冷链物流有限公司", "速冻食品有限公司", "食品有限公司"};
constexpr std::string_view s_building[] = {"水泥有限公司", "建材有限公司", "耐火材料有限公司", "新型建材有限公司", "陶瓷有限公司"};
constexpr std::string_view s_mining[] = {"矿业有限公司", "石料有限公司", "石灰石矿业有限公司"};
constexpr std::string_view s_coal[] = {"煤业有限公司", "煤矿有限公司"};
constexpr std::string_view s_pharma[] = {"药业有限公司", "制药有限公司", "生物科技有限公司", "怀药有限公司"};
constexpr std::string_view s_metal[] = {"铸造有限公司", "特钢有限公司", "冶金有限公司", "铸业有限公司"};
constexpr std::string_view s_nonferrous[] = {"铝业有限公司", "铝材有限公司", "有色金属有限公司"};
constexpr std::string_view s_power[] = {"热电有限公司", "发电有限公司"};
constexpr std::string_view s_water[] = {"水务有限公司", "自来水有限公司", "污水处理有限公司"};

// industry, suffixes, employees, risk weights (red, orange, yellow, blue),
// p(dust, confined space, smelting, hot work), profile group, p(hazard source)
constexpr EntTypeSpec k_types[k_ent_type_count] = {
    {"危险化学品生产", s_chem, 60, 900, {0.08, 0.35, 0.45, 0.12}, 0.05, 0.70, 0.00, 0.40, "producer", 1.00},
    {"危险化学品使用", s_user, 20, 300, {0.02, 0.18, 0.50, 0.30}, 0.10, 0.40, 0.00, 0.30, "user", 0.70},
    {"危险化学品经营", s_trader, 4, 40, {0.02, 0.12, 0.46, 0.40}, 0.00, 0.05, 0.00, 0.00, "trader", 0.55},
    {"加油站", s_petrol, 6, 25, {0.00, 0.05, 0.45, 0.50}, 0.00, 0.10, 0.00, 0.00, "petrol", 1.00},
    {"危化品经营", s_gas, 8, 40, {0.02, 0.25, 0.50, 0.23}, 0.00, 0.10, 0.00, 0.00, "gas", 1.00},
    {"烟花爆竹", s_fireworks, 8, 40, {0.05, 0.40, 0.45, 0.10}, 0.00, 0.00, 0.00, 0.00, "fireworks", 1.00},
    {"纺织", s_textile, 40, 800, {0.00, 0.04, 0.36, 0.60}, 0.30, 0.10, 0.00, 0.05, "", 0.00},
    {"造纸", s_paper, 30, 600, {0.00, 0.08, 0.47, 0.45}, 0.05, 0.85, 0.00, 0.10, "", 0.00},
    {"家具", s_furniture, 15, 300, {0.00, 0.06, 0.44, 0.50}, 0.80, 0.05, 0.00, 0.05, "", 0.00},
    {"轻工", s_leather, 30, 500, {0.00, 0.06, 0.44, 0.50}, 0.05, 0.70, 0.00, 0.05, "", 0.00},
    {"机械", s_machinery, 30, 1500, {0.00, 0.05, 0.35, 0.60}, 0.15, 0.10, 0.05, 0.55, "", 0.00},
    {"汽车零部件", s_auto, 40, 1800, {0.00, 0.05, 0.35, 0.60}, 0.20, 0.05, 0.10, 0.50, "", 0.00},
    {"食品", s_grain, 20, 600, {0.00, 0.08, 0.42, 0.50}, 0.70, 0.40, 0.00, 0.05, "", 0.00},
    {"食品加工", s_cold, 30, 900, {0.00, 0.12, 0.48, 0.40}, 0.00, 0.50, 0.00, 0.05, "cold", 0.60},
    {"建材", s_building, 40, 700, {0.00, 0.10, 0.50, 0.40}, 0.25, 0.45, 0.00, 0.20, "", 0.00},
    {"非煤矿山", s_mining, 20, 200, {0.02, 0.30, 0.50, 0.18}, 0.00, 0.20, 0.00, 0.10, "", 0.00},
    {"煤矿", s_coal, 300, 2600, {0.15, 0.50, 0.30, 0.05}, 0.00, 0.60, 0.00, 0.30, "", 0.00},
    {"医药", s_pharma, 40, 900, {0.00, 0.12, 0.53, 0.35}, 0.20, 0.40, 0.00, 0.10, "pharma", 0.60},
    {"冶金", s_metal, 60, 1500, {0.03, 0.35, 0.50, 0.12}, 0.05, 0.40, 0.90, 0.60, "metallurgy", 0.60},
    {"有色金属", s_nonferrous, 60, 1800, {0.02, 0.30, 0.50, 0.18}, 0.40, 0.30, 0.60, 0.40, "", 0.00},
    {"电力", s_power, 120, 900, {0.02, 0.30, 0.53, 0.15}, 0.20, 0.50, 0.00, 0.30, "power", 1.00},
    {"其他", s_water, 30, 200, {0.00, 0.10, 0.50, 0.40}, 0.00, 0.60, 0.00, 0.05, "water", 1.00},
};

// --- substances ----------------------------------------------------------------------------

constexpr Substance k_substances[] = {
    {"氯", "7782-50-5", "UN1017", "J3", 5, 4, true},
    {"氨", "7664-41-7", "UN1005", "J3", 10, 2, true},
    {"氢", "1333-74-0", "UN1049", "W2", 5, 1.5, true},
    {"氯化氢", "7647-01-0", "UN1050", "J3", 20, 3, true},
    {"二氧化硫", "7446-09-5", "UN1079", "J3", 20, 2, true},
    {"硫化氢", "7783-06-4", "UN1053", "J3", 5, 5, true},
    {"煤气", "", "UN1023", "J3", 20, 2, true},
    {"液化石油气", "68476-85-7", "UN1075", "W2", 50, 1.5, true},
    {"天然气", "8006-14-2", "UN1971", "W2", 50, 1.5, true},
    {"乙炔", "74-86-2", "UN1001", "W2", 1, 1.5, true},
    {"氯乙烯", "75-01-4", "UN1086", "W2", 50, 1.5, true},
    {"液氧", "7782-44-7", "UN1073", "W4", 200, 1, false},
    {"汽油", "86290-81-5", "UN1203", "W5.1", 200, 1.5, true},
    {"二硫化碳", "75-15-0", "UN1131", "W5.1", 50, 1.5, true},
    {"苯", "71-43-2", "UN1114", "W5.3", 50, 1, true},
    {"甲醇", "67-56-1", "UN1230", "W5.3", 500, 1, true},
    {"甲苯", "108-88-3", "UN1294", "W5.3", 500, 1, false},
    {"乙醇", "64-17-5", "UN1170", "W5.3", 500, 1, false},
    {"丙酮", "67-64-1", "UN1090", "W5.3", 500, 1, false},
    {"乙酸乙酯", "141-78-6", "UN1173", "W5.3", 500, 1, false},
    {"正己烷", "110-54-3", "UN1208", "W5.3", 500, 1, false},
    {"苯乙烯", "100-42-5", "UN2055", "W5.4", 500, 1, false},
    {"碳化钙", "75-20-7", "UN1402", "W11", 100, 1, false},
    // Not named in Table 1: Q from Table 2 by category.
    {"丁酮", "78-93-3", "UN1193", "W5.3", 1000, 1, false},
    {"二甲苯", "1330-20-7", "UN1307", "W5.4", 5000, 1, false},
    {"柴油", "68334-30-5", "UN1202", "W5.4", 5000, 1, false},
    {"过氧化氢溶液", "7722-84-1", "UN2014", "W9.2", 200, 1, false},
    {"烟花爆竹（1.3G）", "", "", "W1.2", 10, 2, false},
    {"烟花爆竹（1.4G）", "", "", "W1.3", 50, 2, false},
    // Corrosive only: outside GB 18218, listed because registers list it (the G207 tanker story).
    {"硫酸", "7664-93-9", "UN1830", "", 0, 0, false},
};

// --- chemical profiles ------------------------------------------------------------------------

constexpr StockTemplate i_cl_tank[] = {{"氯", 20, 120, 1}};
constexpr StockTemplate i_cl_cell[] = {{"氯", 1, 6, 1}, {"氢", 0.2, 1.2, 1}};
constexpr StockTemplate i_hcl[] = {{"氯化氢", 2, 15, 1}, {"氢", 0.1, 0.6, 0.6}};
constexpr UnitTemplate u_chlor[] = {
    {"液氯储罐区", "储罐区", 1, i_cl_tank}, {"电解及氯氢处理装置", "生产单元", 0.9, i_cl_cell}, {"盐酸合成装置", "生产单元", 0.6, i_hcl}};

constexpr StockTemplate i_nh3_tank[] = {{"氨", 50, 600, 1}};
constexpr StockTemplate i_meoh_tank[] = {{"甲醇", 300, 3000, 1}};
constexpr StockTemplate i_nh3_unit[] = {{"氨", 5, 30, 1}, {"氢", 0.5, 3, 1}, {"煤气", 3, 15, 1}};
constexpr UnitTemplate u_ammonia[] = {
    {"液氨储罐区", "储罐区", 1, i_nh3_tank}, {"甲醇储罐区", "储罐区", 0.7, i_meoh_tank}, {"合成氨装置", "生产单元", 0.8, i_nh3_unit}};

constexpr StockTemplate i_benzol[] = {{"苯", 40, 400, 1}, {"甲苯", 20, 150, 0.8}};
constexpr StockTemplate i_gas_clean[] = {{"煤气", 4, 25, 1}, {"硫化氢", 0.1, 1.0, 0.5}};
constexpr UnitTemplate u_coking[] = {{"粗苯储罐区", "储罐区", 1, i_benzol}, {"煤气净化装置", "生产单元", 0.9, i_gas_clean}};

constexpr StockTemplate i_solv_tank[] = {
    {"甲苯", 50, 400, 0.8}, {"甲醇", 50, 600, 0.8}, {"丙酮", 20, 300, 0.6}, {"乙酸乙酯", 20, 300, 0.4}};
constexpr StockTemplate i_synth[] = {{"甲苯", 2, 20, 1}, {"甲醇", 2, 15, 0.8}, {"氢", 0.05, 0.5, 0.4}};
constexpr StockTemplate i_class_a[] = {{"二甲苯", 5, 60, 0.6}, {"正己烷", 5, 50, 0.5}, {"二硫化碳", 2, 30, 0.3}};
constexpr UnitTemplate u_fine[] = {
    {"溶剂储罐区", "储罐区", 1, i_solv_tank}, {"合成车间", "生产单元", 0.8, i_synth}, {"甲类仓库", "库房", 0.5, i_class_a}};

constexpr StockTemplate i_h2so4_tank[] = {{"硫酸", 500, 5000, 1}};
constexpr StockTemplate i_acid_plant[] = {{"二氧化硫", 2, 15, 1}, {"硫酸", 50, 300, 1}};
constexpr StockTemplate i_nh3_denox[] = {{"氨", 10, 60, 1}};
constexpr UnitTemplate u_sulfuric[] = {
    {"硫酸储罐区", "储罐区", 1, i_h2so4_tank}, {"制酸装置", "生产单元", 1, i_acid_plant}, {"脱硝液氨储罐", "储罐区", 0.5, i_nh3_denox}};

constexpr StockTemplate i_lox[] = {{"液氧", 100, 800, 1}};
constexpr StockTemplate i_acetylene[] = {{"乙炔", 0.3, 2.5, 1}, {"碳化钙", 50, 300, 0.7}};
constexpr UnitTemplate u_gases[] = {{"液氧储罐区", "储罐区", 1, i_lox}, {"乙炔生产装置", "生产单元", 0.7, i_acetylene}};

constexpr StockTemplate i_vcm[] = {{"氯乙烯", 80, 600, 1}};
constexpr StockTemplate i_carbide[] = {{"碳化钙", 200, 1500, 1}};
constexpr StockTemplate i_vcm_unit[] = {{"乙炔", 0.5, 3, 1}, {"氯化氢", 3, 15, 1}};
constexpr UnitTemplate u_pvc[] = {
    {"氯乙烯球罐区", "储罐区", 1, i_vcm}, {"电石库", "库房", 0.8, i_carbide}, {"乙炔发生及氯乙烯合成装置", "生产单元", 0.9, i_vcm_unit}};

constexpr StockTemplate i_pharm_tank[] = {{"甲醇", 20, 300, 1}, {"乙醇", 30, 400, 0.7}, {"丙酮", 10, 120, 0.5}};
constexpr StockTemplate i_hydro[] = {{"氢", 0.05, 0.8, 1}, {"甲醇", 2, 15, 0.8}};
constexpr StockTemplate i_cl_cyl[] = {{"氯", 1, 8, 1}};
constexpr UnitTemplate u_intermediate[] = {
    {"原料罐区", "储罐区", 1, i_pharm_tank}, {"加氢车间", "生产单元", 0.7, i_hydro}, {"液氯钢瓶库", "库房", 0.4, i_cl_cyl}};

constexpr StockTemplate i_resin_tank[] = {{"二甲苯", 50, 600, 1}, {"甲苯", 20, 200, 0.7}, {"丁酮", 10, 100, 0.5}, {"苯乙烯", 20, 300, 0.5}};
constexpr StockTemplate i_resin_unit[] = {{"苯乙烯", 2, 20, 1}, {"二甲苯", 2, 15, 1}};
constexpr UnitTemplate u_resin[] = {{"溶剂罐区", "储罐区", 1, i_resin_tank}, {"树脂合成车间", "生产单元", 0.8, i_resin_unit}};

constexpr StockTemplate i_paint[] = {{"二甲苯", 2, 30, 1}, {"乙酸乙酯", 1, 15, 0.6}, {"丁酮", 1, 10, 0.4}};
constexpr UnitTemplate u_paint[] = {{"甲类仓库", "库房", 1, i_paint}};
constexpr StockTemplate i_pickling[] = {{"硫酸", 10, 100, 1}, {"过氧化氢溶液", 2, 20, 0.6}};
constexpr UnitTemplate u_pickling[] = {{"酸库", "库房", 1, i_pickling}};
constexpr StockTemplate i_cylinders[] = {{"乙炔", 0.05, 0.5, 1}, {"液氧", 5, 40, 0.8}, {"液化石油气", 1, 10, 0.5}};
constexpr UnitTemplate u_cylinders[] = {{"气瓶间", "库房", 1, i_cylinders}};
constexpr StockTemplate i_film_tank[] = {{"乙酸乙酯", 15, 60, 1}, {"丁酮", 10, 50, 1}, {"甲苯", 5, 40, 1}};
constexpr StockTemplate i_film_coat[] = {{"乙酸乙酯", 1, 5, 1}, {"丁酮", 1, 4, 1}};
constexpr UnitTemplate u_film[] = {{"溶剂罐区", "储罐区", 1, i_film_tank}, {"涂布车间", "生产单元", 1, i_film_coat}};

constexpr StockTemplate i_store[] = {
    {"甲醇", 5, 150, 0.6}, {"甲苯", 5, 100, 0.5}, {"乙醇", 5, 120, 0.5}, {"硫酸", 10, 150, 0.5}, {"二甲苯", 5, 80, 0.5}};
constexpr UnitTemplate u_store[] = {{"危化品仓库", "库房", 1, i_store}};
constexpr StockTemplate i_depot[] = {{"汽油", 200, 3000, 1}, {"柴油", 500, 8000, 1}};
constexpr UnitTemplate u_depot[] = {{"成品油储罐区", "储罐区", 1, i_depot}};
constexpr StockTemplate i_acid_store[] = {{"硫酸", 100, 1000, 1}};
constexpr UnitTemplate u_acid_store[] = {{"硫酸储罐区", "储罐区", 1, i_acid_store}};
constexpr StockTemplate i_toxic_cyl[] = {{"氯", 2, 12, 1}, {"氨", 2, 15, 0.8}};
constexpr UnitTemplate u_toxic_cyl[] = {{"钢瓶库", "库房", 1, i_toxic_cyl}};

constexpr StockTemplate i_petrol[] = {{"汽油", 25, 70, 1}, {"柴油", 20, 80, 1}};
constexpr UnitTemplate u_petrol[] = {{"油罐区", "储罐区", 1, i_petrol}};
constexpr StockTemplate i_lpg[] = {{"液化石油气", 20, 150, 1}};
constexpr UnitTemplate u_lpg[] = {{"液化石油气储罐区", "储罐区", 1, i_lpg}};
constexpr StockTemplate i_lng[] = {{"天然气", 10, 120, 1}};
constexpr UnitTemplate u_lng[] = {{"LNG储罐区", "储罐区", 1, i_lng}};
constexpr StockTemplate i_fireworks[] = {{"烟花爆竹（1.3G）", 2, 15, 0.8}, {"烟花爆竹（1.4G）", 10, 120, 1}};
constexpr UnitTemplate u_fireworks[] = {{"烟花爆竹仓库", "库房", 1, i_fireworks}};
constexpr StockTemplate i_cold[] = {{"氨", 2, 18, 1}};
constexpr UnitTemplate u_cold[] = {{"氨制冷机房及储氨器", "生产单元", 1, i_cold}};
constexpr StockTemplate i_power[] = {{"氨", 20, 150, 1}};
constexpr UnitTemplate u_power[] = {{"脱硝液氨储罐区", "储罐区", 1, i_power}};
constexpr StockTemplate i_water[] = {{"氯", 1, 8, 1}};
constexpr UnitTemplate u_water[] = {{"加氯间及液氯库", "库房", 1, i_water}};
constexpr StockTemplate i_gasholder[] = {{"煤气", 5, 30, 1}};
constexpr StockTemplate i_oxygen_plant[] = {{"液氧", 40, 300, 1}};
constexpr UnitTemplate u_metal[] = {{"煤气柜区", "储罐区", 1, i_gasholder}, {"制氧站液氧储罐", "储罐区", 0.6, i_oxygen_plant}};
constexpr StockTemplate i_pharma[] = {{"甲醇", 5, 120, 1}, {"乙醇", 10, 300, 0.8}, {"丙酮", 5, 80, 0.5}};
constexpr UnitTemplate u_pharma[] = {{"溶剂库", "库房", 1, i_pharma}};

constexpr ChemProfile k_profiles[] = {
    {"producer", "氯碱", "氯碱电解工艺", 1.0, u_chlor},
    {"producer", "合成氨及甲醇", "合成氨工艺", 1.0, u_ammonia},
    {"producer", "焦化及煤化工", "煤化工工艺", 1.0, u_coking},
    {"producer", "精细化工", "*", 3.0, u_fine},
    {"producer", "硫酸", "", 1.2, u_sulfuric},
    {"producer", "工业气体", "", 1.2, u_gases},
    {"producer", "聚氯乙烯", "聚合工艺", 0.6, u_pvc},
    {"producer", "医药中间体", "*", 1.5, u_intermediate},
    {"producer", "涂料及树脂", "聚合工艺", 1.5, u_resin},
    {"user", "涂装溶剂", "", 2.0, u_paint},
    {"user", "酸洗", "", 1.0, u_pickling},
    {"user", "气瓶", "", 1.5, u_cylinders},
    {"film", "膜材料涂布", "", 1.0, u_film},
    {"trader", "危化品仓储", "", 3.0, u_store},
    {"trader", "成品油库", "", 0.5, u_depot},
    {"trader", "硫酸经营", "", 0.6, u_acid_store},
    {"trader", "钢瓶经营", "", 0.8, u_toxic_cyl},
    {"petrol", "加油站", "", 1.0, u_petrol},
    {"gas", "液化石油气储配站", "", 1.0, u_lpg},
    {"gas", "LNG加气站", "", 0.7, u_lng},
    {"fireworks", "烟花爆竹批发", "", 1.0, u_fireworks},
    {"cold", "氨制冷", "", 1.0, u_cold},
    {"power", "热电脱硝", "", 1.0, u_power},
    {"water", "加氯消毒", "", 1.0, u_water},
    {"metallurgy", "冶金煤气", "", 1.0, u_metal},
    {"pharma", "制药溶剂", "", 1.0, u_pharma},
};

// --- county plans ----------------------------------------------------------------------------
// Counts by EntType: cp cu tr ps gs fw tx pa fu le ma au fg fc bm mi co ph me nf pw wa

constexpr CountyPlan k_counties[] = {
    {"410802", "焦作市", {0, 1, 5, 5, 1, 1, 1, 0, 1, 0, 3, 0, 3, 1, 0, 0, 0, 1, 0, 0, 1, 1}, 2.0, 0, 0, "", 0, 0},
    {"410803",
     "焦作市",
     {18, 6, 4, 4, 1, 1, 1, 1, 1, 0, 6, 1, 2, 1, 8, 3, 3, 1, 3, 3, 1, 1},
     3.0,
     113.150,
     35.262,
     "西部产业集聚区化工园区",
     113.150,
     35.310},
    {"410804", "焦作市", {2, 3, 3, 3, 1, 1, 1, 1, 2, 0, 7, 2, 2, 2, 3, 1, 5, 1, 2, 4, 1, 0}, 3.0, 0, 0, "", 113.380, 35.310},
    {"410811", "焦作市", {1, 3, 5, 4, 1, 1, 2, 1, 2, 0, 8, 2, 3, 2, 2, 0, 1, 3, 1, 1, 1, 1}, 3.0, 0, 0, "", 0, 0},
    {"410821", "修武县", {2, 2, 3, 4, 1, 1, 3, 2, 2, 0, 4, 1, 4, 2, 9, 6, 2, 1, 1, 0, 0, 0}, 5.0, 0, 0, "", 113.420, 35.360},
    {"410822", "博爱县", {3, 3, 3, 4, 1, 1, 2, 2, 2, 0, 5, 10, 4, 2, 5, 2, 0, 2, 2, 1, 1, 0}, 4.5, 0, 0, "", 113.050, 35.290},
    {"410823",
     "武陟县",
     {14, 5, 3, 5, 1, 1, 6, 4, 3, 0, 6, 3, 6, 3, 4, 0, 0, 2, 2, 0, 1, 1},
     6.0,
     113.360,
     35.120,
     "产业集聚区化工园区",
     0,
     0},
    {"410825", "温县", {4, 3, 4, 5, 1, 1, 4, 1, 2, 0, 4, 2, 7, 3, 2, 0, 0, 5, 1, 0, 0, 1}, 5.0, 113.110, 34.960, "产业集聚区", 0, 0},
    {"410882",
     "沁阳市",
     {14, 4, 3, 5, 1, 1, 2, 8, 2, 2, 4, 1, 3, 2, 4, 2, 0, 1, 2, 2, 1, 1},
     5.5,
     112.900,
     35.150,
     "沁北产业集聚区化工园区",
     112.880,
     35.240},
    {"410883",
     "孟州市",
     {14, 4, 3, 5, 1, 1, 4, 2, 2, 6, 3, 5, 4, 3, 2, 0, 0, 2, 2, 0, 1, 1},
     5.5,
     112.740,
     34.930,
     "产业集聚区化工园区",
     0,
     0},
};

// --- roads (WGS84; synthetic corridors, not surveyed) ----------------------------------------

constexpr RoadPoint r_g207[] = {{113.030, 35.345, ""},
                                {113.045, 35.290, ""},
                                {113.055, 35.230, ""},
                                {113.0628, 35.1708, ""},
                                {113.068, 35.110, ""},
                                {113.066, 35.052, "G207沁河大桥（模拟）"},
                                {113.066, 35.030, ""},
                                {113.070, 34.990, ""},
                                {113.0726, 34.9419, ""},
                                {113.040, 34.905, ""},
                                {113.010, 34.872, "G207黄河大桥（模拟）"},
                                {113.005, 34.810, ""},
                                {113.000, 34.790, ""}};
constexpr RoadPoint r_g208[] = {{112.760, 35.120, ""},   {112.850, 35.100, ""}, {112.9285, 35.0898, ""}, {113.000, 35.125, ""},
                                {113.0628, 35.1708, ""}, {113.120, 35.205, ""}, {113.1690, 35.2365, ""}, {113.2319, 35.2395, ""},
                                {113.3152, 35.2658, ""}, {113.380, 35.250, ""}, {113.4409, 35.2303, ""}, {113.530, 35.215, ""}};
constexpr RoadPoint r_g234[] = {{113.290, 35.420, ""},
                                {113.300, 35.340, ""},
                                {113.270, 35.280, ""},
                                {113.2319, 35.2395, ""},
                                {113.2613, 35.2153, ""},
                                {113.300, 35.160, ""},
                                {113.350, 35.125, ""},
                                {113.4018, 35.0993, ""},
                                {113.410, 35.070, "G234沁河大桥（模拟）"},
                                {113.412, 35.048, ""},
                                {113.430, 35.010, "G234黄河大桥（模拟）"},
                                {113.445, 34.930, ""},
                                {113.450, 34.900, ""}};
constexpr RoadPoint r_g55[] = {{112.985, 35.360, ""}, {112.995, 35.280, ""},
                               {113.005, 35.200, ""}, {112.995, 35.130, ""},
                               {112.983, 35.075, ""}, {112.980, 35.045, "G55沁河特大桥（模拟）"},
                               {112.975, 35.022, ""}, {112.960, 34.980, ""},
                               {112.940, 34.920, ""}, {112.925, 34.878, "G55黄河特大桥（模拟）"},
                               {112.915, 34.800, ""}, {112.905, 34.770, ""}};
constexpr RoadPoint r_s87[] = {{113.520, 34.900, ""}, {113.520, 34.940, "S87黄河特大桥（模拟）"},
                               {113.515, 35.005, ""}, {113.480, 35.050, ""},
                               {113.450, 35.100, ""}, {113.445, 35.170, ""},
                               {113.455, 35.230, ""}, {113.430, 35.300, ""},
                               {113.400, 35.380, ""}, {113.390, 35.420, ""}};
constexpr RoadPoint r_g5512[] = {{112.800, 35.260, ""}, {112.900, 35.240, ""}, {113.000, 35.260, ""},
                                 {113.100, 35.290, ""}, {113.200, 35.300, ""}, {113.300, 35.300, ""},
                                 {113.400, 35.290, ""}, {113.500, 35.280, ""}, {113.580, 35.270, ""}};
constexpr RoadPoint r_s309[] = {{112.9285, 35.0898, ""}, {112.900, 35.060, ""}, {112.885, 35.020, "S309沁河大桥（模拟）"},
                                {112.880, 34.995, ""},   {112.840, 34.970, ""}, {112.800, 34.930, ""},
                                {112.7809, 34.9105, ""}};
constexpr RoadPoint r_s237[] = {{113.2319, 35.2395, ""},
                                {113.215, 35.180, ""},
                                {113.190, 35.120, ""},
                                {113.160, 35.075, ""},
                                {113.150, 35.058, "S237沁河大桥（模拟）"},
                                {113.145, 35.036, ""},
                                {113.110, 34.985, ""},
                                {113.0726, 34.9419, ""}};
constexpr RoadPoint r_s104[] = {{113.0726, 34.9419, ""}, {113.150, 34.955, ""}, {113.230, 34.990, ""},
                                {113.300, 35.040, ""},   {113.350, 35.075, ""}, {113.4018, 35.0993, ""}};
constexpr RoadPoint r_s312[] = {
    {112.7809, 34.9105, ""}, {112.850, 34.915, ""}, {112.930, 34.925, ""}, {113.000, 34.935, ""}, {113.0726, 34.9419, ""}};
constexpr RoadPoint r_s233[] = {{113.4018, 35.0993, ""}, {113.380, 35.150, ""}, {113.400, 35.200, ""}, {113.4409, 35.2303, ""}};
constexpr RoadPoint r_x012[] = {{112.7809, 34.9105, ""}, {112.720, 34.925, ""}, {112.660, 34.945, ""}, {112.600, 34.960, ""}};
constexpr RoadPoint r_x025[] = {{112.9285, 35.0898, ""}, {112.900, 35.130, ""}, {112.865, 35.1628, ""}, {112.850, 35.200, ""}};
constexpr RoadPoint r_x033[] = {{113.0726, 34.9419, ""}, {113.100, 34.910, ""}, {113.120, 34.880, ""}};
constexpr RoadPoint r_x041[] = {{113.4018, 35.0993, ""}, {113.480, 35.110, ""}, {113.560, 35.100, ""}, {113.620, 35.080, ""}};
constexpr RoadPoint r_x056[] = {{113.4409, 35.2303, ""}, {113.500, 35.180, ""}, {113.540, 35.150, ""}};
constexpr RoadPoint r_x068[] = {{113.1690, 35.2365, ""}, {113.160, 35.280, ""}, {113.150, 35.320, ""}};
constexpr RoadPoint r_x072[] = {{113.3152, 35.2658, ""}, {113.350, 35.300, ""}, {113.380, 35.330, ""}};
constexpr RoadPoint r_u1[] = {
    {113.150, 35.232, ""}, {113.200, 35.236, ""}, {113.250, 35.238, ""}, {113.300, 35.245, ""}, {113.330, 35.250, ""}};
constexpr RoadPoint r_u2[] = {{113.235, 35.180, ""}, {113.232, 35.220, ""}, {113.230, 35.260, ""}, {113.228, 35.295, ""}};
constexpr RoadPoint r_u3[] = {{113.160, 35.205, ""}, {113.220, 35.200, ""}, {113.280, 35.205, ""}, {113.320, 35.215, ""}};

constexpr RoadSpec k_roads[] = {
    {"G55", "G55二广高速（模拟）", "高速公路", 120, 6, r_g55},
    {"S87", "S87郑云高速（模拟）", "高速公路", 120, 4, r_s87},
    {"G5512", "G5512晋新高速（模拟）", "高速公路", 120, 4, r_g5512},
    {"G207", "G207（模拟）", "国道", 80, 4, r_g207},
    {"G208", "G208（模拟）", "国道", 80, 4, r_g208},
    {"G234", "G234（模拟）", "国道", 80, 4, r_g234},
    {"S309", "S309（模拟）", "省道", 70, 4, r_s309},
    {"S237", "S237（模拟）", "省道", 70, 4, r_s237},
    {"S104", "S104（模拟）", "省道", 70, 2, r_s104},
    {"S312", "S312（模拟）", "省道", 70, 2, r_s312},
    {"S233", "S233（模拟）", "省道", 70, 2, r_s233},
    {"X012", "X012（模拟）", "县道", 60, 2, r_x012},
    {"X025", "X025（模拟）", "县道", 60, 2, r_x025},
    {"X033", "X033（模拟）", "县道", 40, 2, r_x033},
    {"X041", "X041（模拟）", "县道", 60, 2, r_x041},
    {"X056", "X056（模拟）", "县道", 60, 2, r_x056},
    {"X068", "X068（模拟）", "县道", 40, 2, r_x068},
    {"X072", "X072（模拟）", "县道", 40, 2, r_x072},
    {"", "市区东西干道（模拟）", "城市道路", 60, 6, r_u1},
    {"", "市区南北干道（模拟）", "城市道路", 60, 6, r_u2},
    {"", "市区南环路（模拟）", "城市道路", 60, 4, r_u3},
};

// --- rescue teams ----------------------------------------------------------------------------

constexpr std::string_view e_fire = "水罐消防车、抢险救援消防车、举高喷射消防车、破拆工具组、空气呼吸器";
constexpr std::string_view e_fire_hazmat = "泡沫消防车、化学事故抢险救援车、防化洗消车、有毒气体侦检仪、重型防化服、堵漏器材";
constexpr std::string_view e_hazmat = "气体防护车、堵漏工具组、重型防化服、正压式空气呼吸器、可燃气体检测仪、洗消装置";
constexpr std::string_view e_water = "冲锋舟、橡皮艇、救生衣、抛投器、水域救援头盔、照明设备";
constexpr std::string_view e_social = "救援指挥车、冲锋舟、绳索救援装备、生命探测仪、医疗急救包";
constexpr std::string_view e_mine = "矿山救护车、正压氧气呼吸器、气体检测仪、液压破拆工具、紧急避险舱配套装备";
constexpr std::string_view e_medical = "负压救护车、心电监护仪、除颤仪、移动手术单元、药品器械箱";
constexpr std::string_view e_forest = "风力灭火机、高压细水雾灭火机、二号工具、油锯、防火服";
constexpr std::string_view e_power = "应急发电车、抢修工程车、绝缘斗臂车、照明灯塔";
constexpr std::string_view e_militia = "抢险工具车、铁锹、编织袋、救生衣、照明设备";

constexpr TeamSpec k_teams[] = {
    {"焦作市消防救援支队特勤一站", "综合性消防救援队伍", "灭火、危化品、坍塌、高空、交通", "410802", Placement::Seat, 45, 60, 10, 14, 1, 2,
     true, e_fire_hazmat, "支队直属特勤站"},
    {"焦作市消防救援支队特勤二站（化工园区）", "综合性消防救援队伍", "灭火、危化品、交通", "410803", Placement::Park, 35, 45, 8, 11, 1, 2,
     true, e_fire_hazmat, "驻化工园区"},
    {"解放区消防救援站", "综合性消防救援队伍", "灭火、交通、坍塌", "410802", Placement::Seat, 25, 35, 5, 8, 1, 2, true, e_fire, ""},
    {"中站区消防救援站", "综合性消防救援队伍", "灭火、交通、危化品", "410803", Placement::Seat, 25, 35, 5, 8, 1, 2, true, e_fire, ""},
    {"马村区消防救援站", "综合性消防救援队伍", "灭火、交通", "410804", Placement::Seat, 25, 35, 5, 8, 1, 2, true, e_fire, ""},
    {"山阳区消防救援站", "综合性消防救援队伍", "灭火、交通、高空", "410811", Placement::Seat, 25, 35, 5, 8, 1, 2, true, e_fire, ""},
    {"修武县消防救援站", "综合性消防救援队伍", "灭火、交通、高空", "410821", Placement::Seat, 22, 32, 5, 7, 1, 2, true, e_fire, ""},
    {"博爱县消防救援站", "综合性消防救援队伍", "灭火、交通", "410822", Placement::Seat, 22, 32, 5, 7, 1, 2, true, e_fire, ""},
    {"武陟县消防救援站", "综合性消防救援队伍", "灭火、交通、水域", "410823", Placement::Seat, 22, 32, 5, 7, 1, 2, true, e_fire, ""},
    {"武陟县产业集聚区消防救援站", "综合性消防救援队伍", "灭火、危化品", "410823", Placement::Park, 20, 30, 5, 7, 1, 2, true, e_fire_hazmat,
     "驻化工园区"},
    {"温县消防救援站", "综合性消防救援队伍", "灭火、危化品、交通、水域", "410825", Placement::Seat, 22, 32, 5, 8, 1, 2, true, e_fire_hazmat,
     ""},
    {"沁阳市消防救援站", "综合性消防救援队伍", "灭火、交通", "410882", Placement::Seat, 22, 32, 5, 7, 1, 2, true, e_fire, ""},
    {"沁阳市沁北产业集聚区消防救援站", "综合性消防救援队伍", "灭火、危化品", "410882", Placement::Park, 20, 30, 5, 7, 1, 2, true,
     e_fire_hazmat, "驻化工园区"},
    {"孟州市消防救援站", "综合性消防救援队伍", "灭火、交通、水域", "410883", Placement::Seat, 22, 32, 5, 7, 1, 2, true, e_fire, ""},
    {"孟州市产业集聚区消防救援站", "综合性消防救援队伍", "灭火、危化品", "410883", Placement::Park, 20, 30, 5, 7, 1, 2, true, e_fire_hazmat,
     "驻化工园区"},
    {"温县危险化学品应急救援一队", "企业专职救援队", "危化品、灭火、医疗", "410825", Placement::Host1, 18, 26, 3, 5, 2, 5, true, e_hazmat,
     "依托化工企业组建的危化品专职救援队，县应急管理局统一调度"},
    {"温县危险化学品应急救援二队", "企业专职救援队", "危化品、灭火", "410825", Placement::Host2, 15, 22, 2, 4, 2, 5, true, e_hazmat,
     "依托化工企业组建的危化品专职救援队，县应急管理局统一调度"},
    {"", "企业专职救援队", "危化品、灭火", "410803", Placement::Host1, 20, 30, 3, 5, 2, 4, true, e_hazmat, "企业专职危化品救援队"},
    {"", "企业专职救援队", "危化品、灭火", "410803", Placement::Host2, 15, 25, 2, 4, 2, 4, true, e_hazmat, "企业专职危化品救援队"},
    {"", "企业专职救援队", "危化品、灭火", "410882", Placement::Host1, 15, 25, 2, 4, 2, 4, true, e_hazmat, "企业专职危化品救援队"},
    {"", "企业专职救援队", "危化品、灭火", "410883", Placement::Host1, 15, 25, 2, 4, 2, 4, true, e_hazmat, "企业专职危化品救援队"},
    {"", "企业专职救援队", "危化品、灭火", "410823", Placement::Host1, 15, 25, 2, 4, 2, 4, true, e_hazmat, "企业专职危化品救援队"},
    {"焦作市应急救援支队", "专业救援队伍", "危化品、坍塌、水域、高空", "410811", Placement::Seat, 40, 60, 8, 12, 5, 10, true, e_hazmat,
     "市级综合应急救援专业队"},
    {"温县应急救援队", "专业救援队伍", "水域、坍塌、交通、医疗", "410825", Placement::Seat, 25, 40, 4, 6, 5, 12, true, e_social,
     "县级综合应急救援队"},
    {"温县蓝天应急救援队", "社会应急力量", "水域、搜救、医疗", "410825", Placement::Seat, 30, 60, 2, 4, 10, 20, false, e_social,
     "社会应急力量，志愿者队伍"},
    {"焦作蓝天救援队", "社会应急力量", "水域、山地、搜救、医疗", "410811", Placement::Seat, 60, 120, 4, 8, 10, 20, false, e_social,
     "社会应急力量，志愿者队伍"},
    {"焦作市红十字应急救援队", "社会应急力量", "医疗、搜救", "410802", Placement::Seat, 30, 60, 2, 4, 10, 20, false, e_medical,
     "社会应急力量"},
    {"修武县云台山山地救援队", "社会应急力量", "高空、搜救、森林灭火", "410821", Placement::Hills, 20, 40, 2, 3, 10, 20, false, e_social,
     "山地救援为主"},
    {"沁阳市太行山地救援队", "社会应急力量", "山地、搜救", "410882", Placement::Hills, 20, 35, 1, 3, 10, 20, false, e_social,
     "山地救援为主"},
    {"孟州市黄河水上救援队", "社会应急力量", "水域、搜救", "410883", Placement::River, 25, 45, 2, 3, 10, 20, false, e_water,
     "黄河沿岸水上救援"},
    {"焦作矿山救护大队", "专业救援队伍", "矿山、坍塌、医疗", "410804", Placement::Hills, 60, 90, 8, 12, 1, 3, true, e_mine,
     "煤矿矿山救护专业队伍"},
    {"修武县非煤矿山救护队", "专业救援队伍", "矿山、坍塌", "410821", Placement::Hills, 20, 30, 3, 5, 3, 8, true, e_mine, "非煤矿山救护"},
    {"武陟县黄河防汛民兵应急连", "民兵应急分队", "水域、防汛", "410823", Placement::River, 80, 120, 4, 6, 10, 20, true, e_militia,
     "汛期驻防黄河大堤"},
    {"温县黄河水域救援队", "专业救援队伍", "水域", "410825", Placement::River, 20, 30, 3, 4, 5, 12, true, e_water, "黄河温县段水域救援"},
    {"孟州市防汛抢险专业队", "专业救援队伍", "水域、坍塌", "410883", Placement::River, 30, 50, 4, 6, 5, 15, true, e_water,
     "黄河孟州段防汛抢险"},
    {"焦作市紧急医学救援队", "医疗救护队", "医疗", "410802", Placement::Seat, 30, 50, 4, 8, 3, 8, true, e_medical, "依托市级医院组建"},
    {"焦作市120急救指挥中心山阳急救站", "医疗救护队", "医疗", "410811", Placement::Seat, 12, 20, 3, 5, 1, 3, true, e_medical, ""},
    {"温县人民医院医疗救护队", "医疗救护队", "医疗", "410825", Placement::Seat, 15, 25, 2, 4, 2, 6, true, e_medical, ""},
    {"沁阳市人民医院医疗救护队", "医疗救护队", "医疗", "410882", Placement::Seat, 15, 25, 2, 4, 2, 6, true, e_medical, ""},
    {"武陟县人民医院医疗救护队", "医疗救护队", "医疗", "410823", Placement::Seat, 15, 25, 2, 4, 2, 6, true, e_medical, ""},
    {"孟州市人民医院医疗救护队", "医疗救护队", "医疗", "410883", Placement::Seat, 15, 25, 2, 4, 2, 6, true, e_medical, ""},
    {"国网焦作供电公司电力抢修队", "专业救援队伍", "电力", "410811", Placement::Seat, 40, 60, 8, 12, 5, 15, true, e_power, ""},
    {"修武县森林消防专业队", "专业救援队伍", "森林灭火", "410821", Placement::Hills, 30, 45, 3, 5, 5, 15, true, e_forest,
     "太行山区森林防火"},
    {"博爱县森林消防专业队", "专业救援队伍", "森林灭火", "410822", Placement::Hills, 25, 40, 3, 5, 5, 15, true, e_forest,
     "太行山区森林防火"},
    {"中站区民兵应急排", "民兵应急分队", "坍塌、防汛", "410803", Placement::Seat, 30, 40, 2, 3, 15, 20, true, e_militia, ""},
    {"博爱县应急救援大队", "专业救援队伍", "危化品、交通、坍塌", "410822", Placement::Seat, 20, 30, 3, 5, 5, 12, true, e_hazmat,
     "县级综合应急救援队"},
};

// --- warehouses ------------------------------------------------------------------------------

constexpr WarehouseSpec k_warehouses[] = {
    {"焦作市应急物资储备库", "市级", "410811", Placement::Seat, "综合", 2.0, 3000, 5000, "市级综合储备"},
    {"焦作市防汛抗旱物资储备库", "市级", "410802", Placement::Seat, "防汛", 1.6, 2000, 3500, "市级防汛储备"},
    {"焦作市危险化学品应急物资储备库", "市级", "410803", Placement::Park, "危化", 1.5, 800, 1500, "服务西部化工园区"},
    {"解放区应急物资储备库", "县级", "410802", Placement::Seat, "生活", 0.8, 400, 900, ""},
    {"中站区应急物资储备库", "县级", "410803", Placement::Seat, "综合", 0.8, 500, 1000, ""},
    {"马村区应急物资储备库", "县级", "410804", Placement::Seat, "综合", 0.8, 500, 1000, ""},
    {"山阳区应急物资储备库", "县级", "410811", Placement::Seat, "生活", 0.9, 500, 1000, ""},
    {"修武县应急物资储备库", "县级", "410821", Placement::Seat, "综合", 1.0, 600, 1200, ""},
    {"博爱县应急物资储备库", "县级", "410822", Placement::Seat, "综合", 1.0, 600, 1200, ""},
    {"武陟县应急物资储备库", "县级", "410823", Placement::Seat, "综合", 1.0, 600, 1200, ""},
    {"温县应急物资储备库", "县级", "410825", Placement::Seat, "综合", 1.0, 600, 1200, ""},
    {"沁阳市应急物资储备库", "县级", "410882", Placement::Seat, "综合", 1.0, 600, 1200, ""},
    {"孟州市应急物资储备库", "县级", "410883", Placement::Seat, "综合", 1.0, 600, 1200, ""},
    {"温县黄河防汛物资仓库", "县级", "410825", Placement::River, "防汛", 1.0, 800, 1500, "黄河温县段防汛"},
    {"武陟县黄河防汛物资仓库", "县级", "410823", Placement::River, "防汛", 1.2, 800, 1500, "黄河武陟段防汛"},
    {"孟州市黄河防汛物资仓库", "县级", "410883", Placement::River, "防汛", 1.0, 800, 1500, "黄河孟州段防汛"},
    {"修武县森林防火物资库", "县级", "410821", Placement::Hills, "森林", 1.0, 200, 500, "太行山区森林防火"},
    {"", "企业储备", "410803", Placement::Host1, "危化", 0.5, 150, 400, "企业自储，可社会调用"},
    {"", "企业储备", "410882", Placement::Host1, "危化", 0.5, 150, 400, "企业自储，可社会调用"},
    {"", "企业储备", "410883", Placement::Host1, "危化", 0.5, 150, 400, "企业自储，可社会调用"},
    {"", "企业储备", "410823", Placement::Host1, "危化", 0.5, 150, 400, "企业自储，可社会调用"},
    {"", "企业储备", "410825", Placement::Host1, "危化", 0.4, 120, 300, "企业自储，可社会调用"},
    {"焦作市佳和商贸协议储备库", "社会储备", "410811", Placement::Seat, "生活", 1.2, 1000, 2000, "协议储备，紧急时调用"},
    {"温县祥和超市协议储备点", "社会储备", "410825", Placement::Seat, "生活", 0.4, 200, 500, "协议储备，紧急时调用"},
};

constexpr StockLine t_general[] = {{"帐篷", 300, "顶"},      {"棉被", 1000, "床"},  {"折叠床", 500, "张"}, {"发电机", 6, "台"},
                                   {"应急照明灯", 80, "盏"}, {"救生衣", 300, "件"}, {"冲锋舟", 4, "艘"},   {"沙袋", 5000, "个"},
                                   {"方便食品", 400, "箱"},  {"饮用水", 600, "箱"}};
constexpr StockLine t_hazmat[] = {{"中和剂", 5, "t"},   {"吸附棉", 2000, "kg"},   {"堵漏工具", 6, "套"},
                                  {"防化服", 40, "套"}, {"空气呼吸器", 12, "具"}, {"洗消剂", 2, "t"},
                                  {"围油栏", 200, "m"}, {"黄沙", 20, "t"},        {"防爆工具", 10, "套"}};
constexpr StockLine t_flood[] = {{"编织袋", 20000, "条"}, {"沙袋", 8000, "个"},  {"冲锋舟", 6, "艘"},  {"橡皮艇", 4, "艘"},
                                 {"救生衣", 500, "件"},   {"救生圈", 200, "个"}, {"抽水泵", 12, "台"}, {"发电机", 8, "台"},
                                 {"铁锹", 600, "把"},     {"石料", 500, "m3"}};
constexpr StockLine t_forest[] = {
    {"风力灭火机", 40, "台"}, {"灭火水枪", 30, "支"}, {"防火服", 100, "套"}, {"二号工具", 200, "把"}, {"油锯", 10, "台"}};
constexpr StockLine t_living[] = {{"帐篷", 100, "顶"},     {"棉被", 800, "床"},   {"棉大衣", 300, "件"},
                                  {"方便食品", 500, "箱"}, {"饮用水", 800, "箱"}, {"雨衣", 400, "件"}};

} // namespace

Words surnames() { return k_surnames; }
Words given_name_chars() { return k_given; }
Words trade_names() { return k_trade; }
Words street_names() { return k_streets; }
Words park_streets() { return k_park_streets; }
Words village_heads() { return k_village_heads; }
Words village_tails() { return k_village_tails; }
Words key_processes() { return k_processes; }

const EntTypeSpec& ent_type(EntType t) { return k_types[static_cast<std::size_t>(t)]; }

std::span<const Substance> substances() { return k_substances; }

const Substance* find_substance(std::string_view name) {
    for (const auto& s : k_substances)
        if (s.name == name) return &s;
    return nullptr;
}

/// CAS check digits of the substance table: a typo there would make every import refuse.
void check_substances() {
    for (const auto& s : substances()) {
        if (s.cas.empty()) continue;
        std::string digits_only;
        for (char ch : s.cas)
            if (ch != '-') digits_only += ch;
        int sum = 0;
        for (std::size_t i = 1; i < digits_only.size(); ++i) sum += (digits_only[digits_only.size() - 1 - i] - '0') * static_cast<int>(i);
        if (sum % 10 != digits_only.back() - '0') throw Error("demo generator: bad CAS number " + std::string(s.cas));
    }
}

std::span<const ChemProfile> chem_profiles() { return k_profiles; }

const ChemProfile& chem_profile(std::string_view name) {
    for (const auto& p : k_profiles)
        if (p.name == name) return p;
    throw Error("demo generator: no chemical profile '" + std::string(name) + "'");
}

std::span<const CountyPlan> county_plans() { return k_counties; }
std::span<const RoadSpec> road_specs() { return k_roads; }
std::span<const TeamSpec> team_specs() { return k_teams; }
std::span<const WarehouseSpec> warehouse_specs() { return k_warehouses; }

// --- people, codes, dates ------------------------------------------------------------------

namespace {

std::string digits(Rng& rng, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + rng.range(0, 9));
    return s;
}

} // namespace

std::string person(Rng& rng) {
    std::string s(rng.pick(surnames()));
    s += rng.pick(given_name_chars());
    if (rng.chance(0.7)) s += rng.pick(given_name_chars());
    return s;
}

std::string mobile(Rng& rng) {
    static constexpr std::string_view prefixes[] = {"130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152",
                                                    "155", "156", "157", "158", "159", "166", "173", "176", "177", "180", "181",
                                                    "182", "183", "185", "186", "187", "188", "189", "191", "198", "199"};
    return std::string(rng.pick(prefixes)) + digits(rng, 8);
}

std::string landline(Rng& rng) { return "0391-" + std::to_string(rng.range(2, 8)) + digits(rng, 6); }

/// GB 32100-2015 unified social credit code: 91 (enterprise) + registering authority's
/// division code + GB 11714 organisation code (with its own check) + the check character.
std::string uscc(Rng& rng, const std::string& adcode) {
    static constexpr std::string_view alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    static constexpr int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    std::string org;
    if (rng.chance(0.55)) {
        org = "MA4";
        for (int i = 0; i < 5; ++i) org += alphabet[static_cast<std::size_t>(rng.range(0, 30))];
    } else {
        org = std::to_string(rng.range(1, 7)) + digits(rng, 7);
    }
    static constexpr int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        char ch = org[i];
        int v = ch <= '9' ? ch - '0' : ch - 'A' + 10;
        sum += v * org_weights[i];
    }
    int c9 = 11 - sum % 11;
    org += c9 == 10 ? 'X' : c9 == 11 ? '0' : static_cast<char>('0' + c9);
    std::string code = "91" + adcode + org;
    sum = 0;
    for (std::size_t i = 0; i < 17; ++i) sum += static_cast<int>(alphabet.find(code[i])) * weights[i];
    code += alphabet[static_cast<std::size_t>((31 - sum % 31) % 31)];
    return code;
}

/// An inspection date in 2025-01-06 .. 2026-11-20, weighted towards recent months (more so for
/// `recent`: higher-risk enterprises are inspected more often). Powers by multiplication only.
std::string inspection_date(Rng& rng, bool recent) {
    const int first = parts::days_from_civil(2025, 1, 6), last = parts::days_from_civil(2026, 11, 20);
    const double u = rng.uniform();
    const double back = recent ? u * u * u : u * u;
    return parts::iso_date(last - static_cast<int>(back * (last - first)));
}

bool ends_with(std::string_view s, std::string_view t) { return s.size() >= t.size() && s.substr(s.size() - t.size()) == t; }

std::string town_short(const std::string& town) {
    for (std::string_view suffix : {"街道", "镇", "乡"})
        if (ends_with(town, suffix) && town.size() > suffix.size()) return town.substr(0, town.size() - suffix.size());
    return town;
}

std::string company_name(Rng& rng, EntType t, bool district, std::string_view county_prefix, const std::string& town,
                         std::string_view unit_hint) {
    std::string prefix = district ? (rng.chance(0.6) ? "焦作市" : "焦作") : (rng.chance(0.85) ? std::string(county_prefix) : "焦作");
    if (rng.chance(0.06)) prefix = "河南";
    std::string n = prefix + std::string(rng.pick(trade_names())) + std::string(rng.pick(ent_type(t).suffixes));
    if (t == EntType::PetrolStation) n += town_short(town) + "加油站";
    if (t == EntType::GasStation) n += std::string(unit_hint);
    return n;
}

std::string address(Rng& rng, const std::string& county_full, std::string_view park, bool district, const std::string& town) {
    const std::string no = std::to_string(rng.range(1, 299)) + "号";
    if (!park.empty()) return county_full + std::string(park) + std::string(rng.pick(park_streets())) + no;
    if (district || ends_with(town, "街道")) return county_full + std::string(rng.pick(street_names())) + no;
    static constexpr std::string_view sides[] = {"东", "西", "南", "北", "东侧", "西侧", "北侧", "南侧"};
    return county_full + town + std::string(rng.pick(village_heads())) + std::string(rng.pick(village_tails())) + "村" +
           std::string(rng.pick(sides)) + std::to_string(rng.range(1, 9) * 100) + "米";
}

std::span<const StockLine> stock_template(std::string_view key) {
    if (key == "综合") return t_general;
    if (key == "危化") return t_hazmat;
    if (key == "防汛") return t_flood;
    if (key == "森林") return t_forest;
    if (key == "生活") return t_living;
    throw Error("demo generator: no stock template '" + std::string(key) + "'");
}

} // namespace vigil::demo::names
