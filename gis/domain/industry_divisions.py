"""The sections (门类) and divisions (大类) of GB/T 4754-2017 (国民经济行业分类), as data.

Official Chinese names of the 2017 edition (with amendment No. 1, 2019, which
changed no division); English as in the China Statistical Yearbook. Every number
01–97 is a division (79 土地管理业 and the renumbering of sections O–T filled the
gaps of the 2011 edition); the tests check that the table is contiguous. The
groups (中类) and classes (小类) are :mod:`gis.domain.industry_classes`; a code is
named at its own level by :mod:`gis.domain.industry_names`.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["DIVISIONS", "SECTIONS", "Division", "Section"]


class Section(NamedTuple):
    """A section (门类) of GB/T 4754-2017."""

    letter: str
    name_zh: str
    name_en: str


class Division(NamedTuple):
    """A division (大类) of GB/T 4754-2017: 2-digit code, its section, names."""

    code: str
    section: str
    name_zh: str
    name_en: str


SECTIONS: tuple[Section, ...] = (
    Section("A", "农、林、牧、渔业", "Agriculture, Forestry, Animal Husbandry and Fishery"),
    Section("B", "采矿业", "Mining"),
    Section("C", "制造业", "Manufacturing"),
    Section("D", "电力、热力、燃气及水生产和供应业", "Production and Supply of Electricity, Heat, Gas and Water"),
    Section("E", "建筑业", "Construction"),
    Section("F", "批发和零售业", "Wholesale and Retail Trades"),
    Section("G", "交通运输、仓储和邮政业", "Transport, Storage and Post"),
    Section("H", "住宿和餐饮业", "Accommodation and Catering"),
    Section("I", "信息传输、软件和信息技术服务业",
            "Information Transmission, Software and Information Technology Services"),
    Section("J", "金融业", "Finance"),
    Section("K", "房地产业", "Real Estate"),
    Section("L", "租赁和商务服务业", "Leasing and Business Services"),
    Section("M", "科学研究和技术服务业", "Scientific Research and Technical Services"),
    Section("N", "水利、环境和公共设施管理业", "Management of Water Conservancy, Environment and Public Facilities"),
    Section("O", "居民服务、修理和其他服务业", "Resident, Repair and Other Services"),
    Section("P", "教育", "Education"),
    Section("Q", "卫生和社会工作", "Health and Social Work"),
    Section("R", "文化、体育和娱乐业", "Culture, Sports and Entertainment"),
    Section("S", "公共管理、社会保障和社会组织", "Public Management, Social Security and Social Organizations"),
    Section("T", "国际组织", "International Organizations"),
)

DIVISIONS: tuple[Division, ...] = (
    Division("01", "A", "农业", "Agriculture"),
    Division("02", "A", "林业", "Forestry"),
    Division("03", "A", "畜牧业", "Animal Husbandry"),
    Division("04", "A", "渔业", "Fishery"),
    Division("05", "A", "农、林、牧、渔专业及辅助性活动",
             "Professional and Support Activities for Agriculture, Forestry, Animal Husbandry and Fishery"),
    Division("06", "B", "煤炭开采和洗选业", "Mining and Washing of Coal"),
    Division("07", "B", "石油和天然气开采业", "Extraction of Petroleum and Natural Gas"),
    Division("08", "B", "黑色金属矿采选业", "Mining and Processing of Ferrous Metal Ores"),
    Division("09", "B", "有色金属矿采选业", "Mining and Processing of Non-ferrous Metal Ores"),
    Division("10", "B", "非金属矿采选业", "Mining and Processing of Non-metallic Mineral Ores"),
    Division("11", "B", "开采专业及辅助性活动", "Professional and Support Activities for Mining"),
    Division("12", "B", "其他采矿业", "Other Mining"),
    Division("13", "C", "农副食品加工业", "Processing of Food from Agricultural Products"),
    Division("14", "C", "食品制造业", "Manufacture of Foods"),
    Division("15", "C", "酒、饮料和精制茶制造业", "Manufacture of Liquor, Beverages and Refined Tea"),
    Division("16", "C", "烟草制品业", "Manufacture of Tobacco"),
    Division("17", "C", "纺织业", "Manufacture of Textiles"),
    Division("18", "C", "纺织服装、服饰业", "Manufacture of Textile Wearing Apparel and Clothing"),
    Division("19", "C", "皮革、毛皮、羽毛及其制品和制鞋业",
             "Manufacture of Leather, Fur, Feather and Related Products and Footwear"),
    Division("20", "C", "木材加工和木、竹、藤、棕、草制品业",
             "Processing of Timber, Manufacture of Wood, Bamboo, Rattan, Palm and Straw Products"),
    Division("21", "C", "家具制造业", "Manufacture of Furniture"),
    Division("22", "C", "造纸和纸制品业", "Manufacture of Paper and Paper Products"),
    Division("23", "C", "印刷和记录媒介复制业", "Printing and Reproduction of Recording Media"),
    Division("24", "C", "文教、工美、体育和娱乐用品制造业",
             "Manufacture of Articles for Culture, Education, Arts and Crafts, Sport and Entertainment Activities"),
    Division("25", "C", "石油、煤炭及其他燃料加工业", "Processing of Petroleum, Coal and Other Fuels"),
    Division("26", "C", "化学原料和化学制品制造业", "Manufacture of Raw Chemical Materials and Chemical Products"),
    Division("27", "C", "医药制造业", "Manufacture of Medicines"),
    Division("28", "C", "化学纤维制造业", "Manufacture of Chemical Fibers"),
    Division("29", "C", "橡胶和塑料制品业", "Manufacture of Rubber and Plastics Products"),
    Division("30", "C", "非金属矿物制品业", "Manufacture of Non-metallic Mineral Products"),
    Division("31", "C", "黑色金属冶炼和压延加工业", "Smelting and Pressing of Ferrous Metals"),
    Division("32", "C", "有色金属冶炼和压延加工业", "Smelting and Pressing of Non-ferrous Metals"),
    Division("33", "C", "金属制品业", "Manufacture of Metal Products"),
    Division("34", "C", "通用设备制造业", "Manufacture of General Purpose Machinery"),
    Division("35", "C", "专用设备制造业", "Manufacture of Special Purpose Machinery"),
    Division("36", "C", "汽车制造业", "Manufacture of Automobiles"),
    Division("37", "C", "铁路、船舶、航空航天和其他运输设备制造业",
             "Manufacture of Railway, Ship, Aerospace and Other Transport Equipment"),
    Division("38", "C", "电气机械和器材制造业", "Manufacture of Electrical Machinery and Apparatus"),
    Division("39", "C", "计算机、通信和其他电子设备制造业",
             "Manufacture of Computers, Communication and Other Electronic Equipment"),
    Division("40", "C", "仪器仪表制造业", "Manufacture of Measuring Instruments and Meters"),
    Division("41", "C", "其他制造业", "Other Manufacturing"),
    Division("42", "C", "废弃资源综合利用业", "Utilization of Waste Resources"),
    Division("43", "C", "金属制品、机械和设备修理业", "Repair of Metal Products, Machinery and Equipment"),
    Division("44", "D", "电力、热力生产和供应业", "Production and Supply of Electricity and Heat"),
    Division("45", "D", "燃气生产和供应业", "Production and Supply of Gas"),
    Division("46", "D", "水的生产和供应业", "Production and Supply of Water"),
    Division("47", "E", "房屋建筑业", "Construction of Buildings"),
    Division("48", "E", "土木工程建筑业", "Civil Engineering"),
    Division("49", "E", "建筑安装业", "Construction Installation"),
    Division("50", "E", "建筑装饰、装修和其他建筑业", "Building Decoration, Renovation and Other Construction"),
    Division("51", "F", "批发业", "Wholesale Trade"),
    Division("52", "F", "零售业", "Retail Trade"),
    Division("53", "G", "铁路运输业", "Rail Transport"),
    Division("54", "G", "道路运输业", "Road Transport"),
    Division("55", "G", "水上运输业", "Water Transport"),
    Division("56", "G", "航空运输业", "Air Transport"),
    Division("57", "G", "管道运输业", "Pipeline Transport"),
    Division("58", "G", "多式联运和运输代理业", "Multimodal Transport and Transport Agency"),
    Division("59", "G", "装卸搬运和仓储业", "Loading, Unloading, Handling and Storage"),
    Division("60", "G", "邮政业", "Postal Services"),
    Division("61", "H", "住宿业", "Accommodation"),
    Division("62", "H", "餐饮业", "Catering Services"),
    Division("63", "I", "电信、广播电视和卫星传输服务",
             "Telecommunications, Radio and Television and Satellite Transmission Services"),
    Division("64", "I", "互联网和相关服务", "Internet and Related Services"),
    Division("65", "I", "软件和信息技术服务业", "Software and Information Technology Services"),
    Division("66", "J", "货币金融服务", "Monetary and Financial Services"),
    Division("67", "J", "资本市场服务", "Capital Market Services"),
    Division("68", "J", "保险业", "Insurance"),
    Division("69", "J", "其他金融业", "Other Financial Services"),
    Division("70", "K", "房地产业", "Real Estate"),
    Division("71", "L", "租赁业", "Leasing"),
    Division("72", "L", "商务服务业", "Business Services"),
    Division("73", "M", "研究和试验发展", "Research and Experimental Development"),
    Division("74", "M", "专业技术服务业", "Professional Technical Services"),
    Division("75", "M", "科技推广和应用服务业", "Technology Promotion and Application Services"),
    Division("76", "N", "水利管理业", "Water Conservancy Management"),
    Division("77", "N", "生态保护和环境治理业", "Ecological Protection and Environmental Governance"),
    Division("78", "N", "公共设施管理业", "Public Facilities Management"),
    Division("79", "N", "土地管理业", "Land Management"),
    Division("80", "O", "居民服务业", "Resident Services"),
    Division("81", "O", "机动车、电子产品和日用产品修理业",
             "Repair of Motor Vehicles, Electronic Products and Household Goods"),
    Division("82", "O", "其他服务业", "Other Services"),
    Division("83", "P", "教育", "Education"),
    Division("84", "Q", "卫生", "Health"),
    Division("85", "Q", "社会工作", "Social Work"),
    Division("86", "R", "新闻和出版业", "News and Publishing"),
    Division("87", "R", "广播、电视、电影和录音制作业", "Radio, Television, Film and Sound Recording Production"),
    Division("88", "R", "文化艺术业", "Culture and Arts"),
    Division("89", "R", "体育", "Sports"),
    Division("90", "R", "娱乐业", "Entertainment"),
    Division("91", "S", "中国共产党机关", "Organs of the Communist Party of China"),
    Division("92", "S", "国家机构", "State Organs"),
    Division("93", "S", "人民政协、民主党派", "CPPCC and Democratic Parties"),
    Division("94", "S", "社会保障", "Social Security"),
    Division("95", "S", "群众团体、社会团体和其他成员组织",
             "Mass Organizations, Social Organizations and Other Membership Organizations"),
    Division("96", "S", "基层群众自治组织及其他组织",
             "Grassroots Self-governing Organizations and Other Organizations"),
    Division("97", "T", "国际组织", "International Organizations"),
)
